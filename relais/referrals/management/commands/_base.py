"""Shared by the referral jobs: dry run unless --wet-run, and a clear summary of what changed or would."""

from django.core.management.base import BaseCommand


class JobCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Apply the changes. Without it, the command only prints what it would do (dry run).",
        )

    def say(self, wet_run: bool, done: str, would: str) -> None:
        self.stdout.write(done if wet_run else f"[dry run] {would}")
