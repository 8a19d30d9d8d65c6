from django.urls import path

from relais.rights.views import professional, resident, screening, sending

app_name = "rights"
urlpatterns = [
    path("", resident.start, name="start"),
    path("questions/", resident.questions, name="questions"),
    path("resultats/", resident.results, name="results"),
    path("resultats/envoyer/", sending.send_results, name="send"),
    path("professionnel/", resident.professional_start, name="professional"),
    path("synthese/", professional.summary, name="summary"),
    path("synthese.pdf", professional.summary_pdf, name="summary_pdf"),
    path("depistage/", screening.upload, name="screening"),
    path("depistage/modele.csv", screening.template_csv, name="screening_template"),
    path("depistage/<uuid:job_id>/", screening.job_page, name="screening_job"),
    path("depistage/<uuid:job_id>/progression.json", screening.job_progress, name="screening_progress"),
    path("depistage/<uuid:job_id>/resultats.csv", screening.job_results, name="screening_results"),
    path("depistage/<uuid:job_id>/communes.csv", screening.job_communes, name="screening_communes"),
    path("depistage/<uuid:job_id>/rapport.txt", screening.job_report, name="screening_report"),
    path("depistage/<uuid:job_id>/supprimer/", screening.job_delete, name="screening_delete"),
]
