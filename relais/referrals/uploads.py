"""Upload limits for the referral form: an attachment is never read past its size limit, nor written to disk.

Django keeps an uploaded file in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then streams it to a
temporary file, and has no size limit of its own for files: a 30 MB upload would be read and stored
whole before the form refuses it. On the referral form:

1. a request announcing more than `MAX_REQUEST_BYTES` (Content-Length) is refused at once with a
   413 page, before its body is read;
2. otherwise the attachment is read into memory only (never a temporary file) and the reading stops
   at `ATTACHMENT_MAX_BYTES` + 1 byte: the rest is skipped, the form says the file is too big, and
   the person's other fields are kept so nothing has to be typed again.

The reverse proxy should refuse larger bodies itself (e.g. nginx `client_max_body_size 10m`, the
largest upload of any page): docs/adr/0007-referrals.md.
"""

from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from relais.referrals.privacy import ATTACHMENT_MAX_BYTES

# The attachment, plus the form's fields and the multipart envelope.
MAX_REQUEST_BYTES = ATTACHMENT_MAX_BYTES + 256 * 1024
TOO_BIG_ATTRIBUTE = "relais_uploads_too_big"


class SizeLimitHandler(FileUploadHandler):
    """Counts each file's bytes and skips the file once it passes `limit` (recorded on the request)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            too_big = getattr(self.request, TOO_BIG_ATTRIBUTE, {})
            too_big[self.field_name] = self.file_name or ""
            setattr(self.request, TOO_BIG_ATTRIBUTE, too_big)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


class InMemoryHandler(MemoryFileUploadHandler):
    """Django's memory handler, always on: the limit above bounds the memory used."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True


def content_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def limit(request, problem):
    """Put the limits in place before the body is read; a 413 response when the request is too big, else None.

    Must run before anything reads request.POST or request.FILES (CSRF included: see views/professional.py).
    """
    size = content_length(request)
    if size > MAX_REQUEST_BYTES:
        return problem(
            request,
            _("Fichier trop lourd"),
            _(
                "La demande pèse %(size)s Mo : la pièce jointe doit peser 2 Mo au plus. Rien n’a été enregistré : "
                "revenez au formulaire et choisissez un fichier plus léger."
            )
            % {"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
            status=413,
        )
    request.upload_handlers = [SizeLimitHandler(request, ATTACHMENT_MAX_BYTES), InMemoryHandler(request)]
    return None


def too_big(request) -> dict:
    """{field name: file name} of the files skipped for their size in this request."""
    return getattr(request, TOO_BIG_ATTRIBUTE, {})
