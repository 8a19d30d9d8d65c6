"""Everyday English words for needs, mapped to data·inclusion thématiques (the aliases of lexicon_terms.py).

Used first when the page is in English (and by the API with `langue=en`); the French lexicon reads the
words this one does not know. Written for Relais from the words newcomers, students and English-speaking
residents use (no external source). Same format as lexicon_terms.py: (phrases separated by "|", targets,
weight[, urgent signal]).
"""

from relais.matching.lexicon_terms import SHELTER, SUICIDE, VIOLENCE

TERMS = [
    # ---- housing and shelter
    (
        "shelter|homeless|homelessness|nowhere to sleep|no place to sleep|place to sleep|somewhere to sleep|"
        "sleep tonight|sleeping rough|sleep rough|sleep outside|sleeping outside|sleeping on the street|"
        "on the street|on the streets|living on the street|sleep in my car|sleeping in my car|living in my car|"
        "emergency housing|emergency accommodation|emergency shelter|night shelter|bed for the night|"
        "roof over my head|kicked out|thrown out|put out on the street|squat|hostel|temporary accommodation|"
        "temporary housing|115",
        "log.heberg",
        1.0,
        SHELTER,
    ),
    (
        "leave my home|leave my house|leave my flat|leave my apartment|have to leave my home|have to move out|"
        "must move out|lose my home|losing my home|lose my flat|losing my flat|losing my apartment",
        "log.maintien log.heberg:0.9 log.changer:0.8",
        1.0,
    ),
    (
        "eviction|evicted|evict|eviction notice|being evicted|landlord wants me out|notice to quit|keep my home|"
        "stay in my home|stay in my flat",
        "log.maintien log.impayes:0.7 admin.justice:0.5",
        1.0,
    ),
    (
        "rent arrears|behind on rent|behind with the rent|can't pay rent|cannot pay rent|can't pay the rent|"
        "cannot pay the rent|unpaid rent|pay my rent|pay the rent|rent debt|owe rent",
        "log.impayes log.maintien:0.8 budget.dettes:0.5",
        1.0,
    ),
    (
        "find a flat|find an apartment|find a home|find housing|looking for a flat|looking for an apartment|"
        "looking for housing|rent a flat|rent an apartment|renting|rent|flat|apartment|social housing|"
        "council housing|housing application|deposit|guarantor|student housing|student accommodation|"
        "accommodation|flatshare|room to rent",
        "log.louer log.info:0.6",
        1.0,
    ),
    (
        "move house|moving house|move to a bigger flat|flat too small|home too small|overcrowded",
        "log.changer log.louer:0.6",
        1.0,
    ),
    (
        "damp|mould|mold|unsafe housing|bed bugs|cockroaches|pests|no heating|heating|electricity bill|gas bill|"
        "water bill|energy bill|power cut|electricity cut off|gas cut off",
        "log.maintien budget.prevenir:0.8",
        0.9,
    ),
    (
        "tenant rights|my rights as a tenant|problem with my landlord|landlord|housing benefit|housing allowance|"
        "housing advice",
        "log.info admin.droits:0.5",
        1.0,
    ),
    ("housing|home|house|a place to live|somewhere to live", "logement-hebergement", 0.6),
    # ---- food, clothes, equipment
    (
        "food|eat|eating|something to eat|nothing to eat|hungry|i am hungry|starving|meal|meals|hot meal|"
        "food bank|foodbank|food parcel|food parcels|food aid|free food|free meal|free meals|soup kitchen|"
        "groceries|grocery|food vouchers|baby milk|baby formula|formula milk|breakfast|lunch|dinner|supper",
        "equip.alimentation",
        1.0,
    ),
    ("nappies|diapers|baby products", "equip.alimentation equip.habillement:0.6 famille.parentalite:0.5", 1.0),
    (
        "clothes|clothing|warm clothes|coat|winter coat|shoes|second-hand clothes|clothes for my children",
        "equip.habillement",
        1.0,
    ),
    (
        "furniture|bed|mattress|fridge|washing machine|cooker|oven|household appliances|kitchen equipment",
        "equip.electromenager",
        1.0,
    ),
    (
        "shower|wash|hygiene|toiletries|sanitary pads|period products|laundry|wash my clothes",
        "equip.menage equip.habillement:0.5 remob.confiance:0.4",
        0.9,
    ),
    ("home help|cleaning help|carer at home|meals on wheels", "equip.menage famille.dependance:0.5", 1.0),
    # ---- money
    (
        "debt|debts|in debt|owe money|bailiff|bailiffs|loan|loans|credit|credit card|repayments|overindebtedness|"
        "debt advice",
        "budget.dettes budget.gestion:0.6",
        1.0,
    ),
    (
        "budget|manage my money|managing money|end of the month|make ends meet|bank account|open a bank account|"
        "overdraft|bank charges|bills|pay my bills|unpaid bills",
        "budget.gestion budget.prevenir:0.8",
        1.0,
    ),
    (
        "no money|money|no income|financial help|financial support|emergency money|emergency grant|broke|"
        "poverty|poor|cash",
        "budget.prevenir admin.droits:0.6",
        1.0,
    ),
    ("guardianship|legal guardian|curatorship", "budget.protection admin.mesure:0.7", 1.0),
    # ---- papers and rights
    (
        "paperwork|papers|forms|fill in a form|fill in forms|letter|letters|understand a letter|administration|"
        "tax|taxes|tax return|identity card|id card|passport|birth certificate|pension|health insurance card",
        "admin.demarches admin.droits:0.8",
        1.0,
    ),
    (
        "benefits|welfare|my rights|rights|allowance|allowances|social worker|social security|family allowance|"
        "child benefit|what am i entitled to|entitlements|grant|grants|scholarship",
        "admin.droits admin.demarches:0.7",
        1.0,
    ),
    (
        "residence permit|residence card|visa|asylum|asylum seeker|refugee|refugees|immigration|immigrant|"
        "undocumented|no papers|without papers|nationality|citizenship|naturalisation|naturalization|"
        "family reunification|migrant|stateless|just arrived in france|new in france|newcomer",
        "admin.citoyennete admin.droits:0.6",
        1.0,
    ),
    (
        "postal address|mailing address|no address|receive my mail",
        "admin.demarches admin.droits:0.8 log.heberg:0.4",
        1.0,
    ),
    (
        "lawyer|legal aid|legal advice|court|judge|trial|complaint|file a complaint|police report|prison|"
        "released from prison|probation|criminal record",
        "admin.justice",
        1.0,
    ),
    (
        "discrimination|racism|racist|homophobia|sexism|harassment|harassed|treated unfairly",
        "admin.discrimination admin.justice:0.6",
        1.0,
    ),
    # ---- family
    (
        "childcare|child care|nursery|daycare|day care|babysitter|childminder|someone to look after my child|"
        "look after my children",
        "famille.garde",
        1.0,
    ),
    (
        "parenting|parent support|my child|my children|my son|my daughter|teenager|baby|newborn|school|homework|"
        "single parent|single mother|single father|single mum|single dad",
        "famille.parentalite",
        1.0,
    ),
    ("pregnant|pregnancy|expecting a baby|midwife", "famille.parentalite sante.soins:0.8", 1.0),
    (
        "elderly parent|elderly mother|elderly father|old age|care home|nursing home|dependent person|dementia",
        "famille.dependance famille.aidants:0.6",
        1.0,
    ),
    ("carer|caregiver|caring for a relative|respite|respite care", "famille.aidants famille.dependance:0.7", 1.0),
    (
        "domestic violence|domestic abuse|violence|violent|abuse|abused|abusive|abusive partner|abusive husband|"
        "violent partner|violent husband|beaten|hits me|he hits me|she hits me|beats me|he beats me|hurt me|"
        "he hurts me|threatens me|threatened|afraid of my partner|afraid of my husband|scared of my partner|"
        "scared of my husband|in danger|i feel in danger|i am in danger|danger|unsafe at home|not safe at home|"
        "forced marriage|3919",
        "famille.violence admin.justice:0.6 log.heberg:0.5",
        1.0,
        VIOLENCE,
    ),
    (
        "rape|raped|sexual assault|sexual abuse|assaulted|attacked|victim|victims|victim support",
        "famille.violence admin.justice:0.8 sante.mentale:0.5",
        1.0,
        VIOLENCE,
    ),
    (
        "separation|divorce|break up|breakup|custody|child support|family conflict|family mediation",
        "famille.violence famille.parentalite:0.6 admin.justice:0.5",
        1.0,
    ),
    # ---- language, digital, mobility
    (
        "learn french|french lessons|french classes|french course|speak french|improve my french|read and write|"
        "literacy",
        "lec.francais",
        1.0,
    ),
    ("maths|math|arithmetic|numeracy", "lec.calcul", 1.0),
    (
        "internet|wifi|wi-fi|computer|laptop|smartphone|online forms|online paperwork|email|e-mail|printer|"
        "print a document|use a computer|computer skills|digital skills",
        "num.bases num.services:0.8 num.connexion:0.6",
        1.0,
    ),
    ("driving licence|driving license|driving lessons|driving test", "mob.permis mob.financer:0.6", 1.0),
    (
        "car|car repair|scooter|bike|bicycle|transport|bus pass|travel pass|get around",
        "mob.parcours mob.financer:0.6",
        1.0,
    ),
    # ---- work and training
    (
        "job|jobs|work|find a job|find work|looking for a job|looking for work|unemployed|unemployment|"
        "employment|job centre|job center|job offers|apply for a job|job application",
        "emploi.offres cand.organiser:0.7",
        1.0,
    ),
    ("cv|resume|résumé|cover letter|covering letter|write my cv", "cand.cv", 1.0),
    ("job interview|interview", "emploi.entretien", 1.0),
    (
        "training|course|courses|qualification|diploma|apprenticeship|go back to school|study|studies|university",
        "form.trouver form.dossier:0.6",
        1.0,
    ),
    ("start a business|start my own business|self-employed|freelance|entrepreneur", "entreprise.definir", 1.0),
    ("career|career change|which job|job guidance|career advice", "metier.decouvrir metier.competences:0.6", 1.0),
    ("volunteer|volunteering", "remob.benevolat remob.lien:0.5", 1.0),
    # ---- health
    (
        "doctor|gp|general practitioner|see a doctor|need a doctor|sick|ill|illness|health|healthcare|"
        "health care|hospital|dentist|toothache|teeth|glasses|medicine|medication|medicines|pharmacy|nurse|"
        "vaccine|vaccination|health insurance|free healthcare|pain|injury|injured|fever",
        "sante.soins admin.droits:0.5",
        1.0,
    ),
    (
        "mental health|psychologist|psychiatrist|therapist|therapy|counselling|counseling|depression|depressed|"
        "anxiety|anxious|stress|stressed|panic attacks|trauma|someone to talk to|talk to someone|burnout|"
        "can't sleep|insomnia",
        "sante.mentale remob.confiance:0.5",
        1.0,
    ),
    (
        "suicide|suicidal|kill myself|want to die|i want to die|end my life|end it all|no reason to live|3114",
        "sante.mentale",
        1.0,
        SUICIDE,
    ),
    (
        "addiction|addicted|alcohol|drinking problem|drugs|drug|cannabis|cocaine|heroin|crack|quit smoking|"
        "stop smoking|smoking|gambling",
        "sante.addictions sante.mentale:0.5",
        1.0,
    ),
    ("disability|disabled|handicap|wheelchair|disability card|disability benefit", "sante.mdph admin.droits:0.6", 1.0),
    (
        "contraception|pill|morning after pill|abortion|hiv|std|sti|sexual health|pregnancy test|condoms",
        "sante.sexuelle sante.soins:0.5",
        1.0,
    ),
    # ---- isolation
    (
        "lonely|loneliness|alone|isolated|isolation|meet people|make friends|nobody to talk to",
        "remob.lien remob.sport:0.5",
        1.0,
    ),
    ("sport|sports|activities|culture|leisure|holidays", "remob.sport remob.lien:0.5", 1.0),
]

# Frequent English words that are not needs: never corrected into a lexicon word, never reported unknown.
COMMON_WORDS = """
about after again all also always am an and another any anything anyone anywhere are around as ask at away back
bad be because been before being best better big bit both but by can cannot could day days did do does doing done
dont don down each else enough even ever every everything far few first for from get gets getting give go goes
going gone good got great had has have having he her here hers him his how however if in into is it its just keep
kind know last least left less let like little long look lot lots made make many may maybe me might mine more most
much must my myself near never new next nice no nobody none nor not nothing now of off often old on once one only
or other our out over own part people person place please pretty put quite rather really right said same say see
seem she should since so some someone something sometimes soon still such sure take tell than thank thanks that
the their them then there these they thing things think this those though through time to today tomorrow tonight
too try under until up upon us use used very want wants was way we week weeks well went were what when where which
while who whom whose why will with without would year years yes yet you your yours yesterday morning afternoon
evening night monday tuesday wednesday thursday friday saturday sunday hello hi sir madam mr mrs ms
mother father mum mom dad brother sister son daughter husband wife boyfriend girlfriend partner friend friends
neighbour neighbor family kids kid man woman men women boy girl guy lyon france city town street road area
need needs needed help helping helped looking find finding search searching please urgent urgently quickly asap
fine ok okay thanks sorry hey
""".split()

# Function words dropped before matching ("i have to leave my home" -> "leave home").
STOPWORDS = """
a an the i im i'm me my mine you your we our us he him his she her it its they them their to of in on at for
with from by and or but is are am be been was were do does did have has had having need needs needed want
wants wanted would like please some any this that these those there here so very really just also help find
looking look got get can could should must will shall may might if then than as into onto about
t s m re ve ll d
""".split()

FIXED_EXPRESSIONS = (
    "right now",
    "as soon as possible",
    "this evening",
    "this night",
    "kill myself",
    "want to die",
    "end my life",
)

TIME_HINTS = {
    "tonight": "tonight",
    "thisevening": "tonight",
    "thisnight": "tonight",
    "today": "today",
    "now": "now",
    "rightnow": "now",
    "asap": "now",
    "assoonaspossible": "now",
    "immediately": "now",
}
