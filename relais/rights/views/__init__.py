"""The rights pages: the resident's questionnaire and results (resident.py, results.py), the professional's
printable summary (professional.py) and the batch screening upload for authorised staff (screening.py).

The questionnaire keeps nothing on the server: the answers travel in a hidden field from step to step
(relais.rights.questionnaire) and, when JavaScript runs, are saved in the browser only."""
