"""Moves: what each sentence of a minute does — puts a question, gives an answer, or records a note.

Minutes report an exchange in reported speech, and every panel words it its own way, but the
moves are the same: someone on the asking side (a named member, the Chair or Vice-Chair, "a
Panel Member", "the Panel", a member of the public) asks, queries, seeks assurance, raises a
concern or says something the answer then takes up; someone on the answering side (the
Commissioner, the Deputy, the Chief Constable, an officer) advises, confirms, explains or
replies; and the Panel notes, agrees or resolves. A sentence's move is read from its subject
and verb, not from where it stands, so "The Panel asked whether …", "Councillor Mike Mackrory
asked for details of …", "Information was requested on …", "In response to a question on …,
the Commissioner confirmed …", "Q: Ashley Reay, Speedwatch – …" and "[The PCC replied …]" are
all read by one set of rules. Sentences are `indexer.reading.text`'s, a paragraph number left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from indexer.reading.text import LEADING_NUMBER, sentence_spans

MoveKind = Literal["question", "answer", "note", "intro", "none"]

# A person as minutes name them: a title and up to four name words ("Councillor Mike Mackrory",
# "Cllr J Frudd", "Mr Gareth Derrick", "Councillor O'Neill", "Cllr Vesey-Thompson").
TITLE = (
    r"(?:County\s+Councillor|Councillor|Cllrs?|Mr|Mrs|Ms|Miss|Mx|Dr|Prof(?:essor)?|Sir|Dame|Lord|Lady|Revd?|"
    r"Reverend|Baroness|Superintendent|Supt|Chief\s+Superintendent|Chief\s+Inspector|Inspector|Sergeant|DCI|DI)\.?"
)
NAME_WORD = r"(?:[A-Z]\.?(?=[\s.,:;)]|$)|(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)*)"
PERSON = rf"{TITLE}\s+{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}"
# A person named without a title ("Brian Adams asked …"): two to four name words, the first not a word that opens
# a sentence or names an office. Read as an asker only before a verb of asking (an office is not a person).
_NOT_A_NAME = (
    r"(?:The|This|That|These|Those|There|It|In|On|At|As|By|For|From|With|A|An|Panel|Members?|Police|Crime|"
    r"Commissioner|Council|County|Chief|Deputy|Mayor|Force|Office|Officers?|Following|During|After|Before|Further|"
    r"Questions?|Concerns?|Public|Fire|Home|National|Local|Chair(?:man)?|Vice|Committee|Board|Government|Sergeant)"
)
# ... nor a body's name ("Thames Valley Police", "Kent County Council").
_BODY_WORD = (
    r"(?:Police|Council|Panel|Constabulary|Service|Authority|Partnership|Board|Commission|Office|Team|Unit|"
    r"Department|Group|Trust|Government|Association|Fire|Rescue|Agency|Network|Forum)"
)
PLAIN_PERSON = rf"(?!{_NOT_A_NAME}\b)(?!(?:\S+\s+){{1,3}}{_BODY_WORD}\b){NAME_WORD}(?:\s+{NAME_WORD}){{1,3}}"
_CHAIR = r"(?:[Tt]he\s+)?(?:(?P<vice>Vice[- ]?)?Chair(?:man|woman|person)?)"
# Who asks, when no name is given; the Chair asks as a member does.
_COLLECTIVE = (
    r"(?:(?i:a|one|another|the|each|several|some)\s+(?:Panel\s+|[Ii]ndependent\s+|[Cc]o-opted\s+|[Ll]ay\s+)?[Mm]embers?"
    r"(?:\s+of\s+the\s+(?:Panel|public|Committee))?|(?:Panel\s+)?Members|[Tt]he\s+(?:[Pp]anel|[Cc]ommittee)|[Tt]he\s+questioner|"
    r"members?\s+of\s+the\s+public|(?:an\s+)?Independent\s+Member)"
)
# The Commissioner's title in full: "Police and Crime Commissioner", "Police, Fire and Crime Commissioner",
# "Police, Crime and Victims' Commissioner".
_COMMISSIONER_TITLE = (
    r"Police(?:\s*,\s*Fire(?:\s+and\s+Rescue)?)?(?:\s+(?:and|&)|\s*,)\s+Crime"
    r"(?:\s+(?:and|&)\s+Victims['’]?)?\s+Commissioner"
)
# Who answers: the Commissioner and their office, the force's officers, a mayor with PCC powers.
RESPONDER = (
    r"(?:[Tt]he\s+)?(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?['’]s\s+)?(?:(?:Deputy|Assistant)\s+)?"
    rf"(?:{_COMMISSIONER_TITLE}"
    r"|(?:PCC|Commissioner|PFCC|PCVC)['’]s\s+"
    r"(?:Chief\s+Executive|Chief\s+Finance\s+Officer|Chief\s+of\s+Staff|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})"
    r"|Commissioner|D?P(?:F)?C(?:V)?C|(?:Deputy\s+)?Mayor(?:\s+for\s+Policing(?:\s+and\s+Crime)?)?"
    r"|(?:Temporary\s+)?(?:Deputy\s+|Assistant\s+)?Chief\s+(?:Constable|Fire\s+Officer)|(?:T/)?[DA]?CC|CFO"
    r"|Chief\s+(?:Executive|Finance\s+Officer|Officer|of\s+Staff|Superintendent|Inspector)(?:\s+(?:Officer\s+)?of\s+the\s+[A-Z]{3,6})?"
    r"|Treasurer|Monitoring\s+Officer|Scrutiny\s+Officer"
    r"|(?:OPCC\s+)?(?:Head|Director)\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and|&|of|for|the|[A-Z][\w'’-]*)){0,6}"
    r"|OPCC\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}|(?:[Pp]olice\s+)?[Oo]fficers?|Force"
    rf"|OP(?:F)?CC|Office\s+of\s+the\s+(?:P(?:F)?CC|Commissioner|{_COMMISSIONER_TITLE})"
    r"|(?:[A-Z][a-z]+\s+){1,3}(?:Officer|Manager|Adviser|Advisor|Analyst|Lead|Superintendent|Inspector)"
    # At a council meeting, the council's member on the panel answers for it.
    r"|Council['’]s\s+(?:appointed\s+|designated\s+)?(?:[Pp]anel\s+)?[Rr]epresentative"
    # The panel's letter to the Commissioner: "You informed the panel that …".
    r"|You(?=\s+(?:informed|confirmed|explained|advised|assured|told|said|stated|agreed|acknowledged)\b))"
)
# Verbs of asking, shared by the patterns below.
_ASKING = r"(?:asked|queried|enquired|inquired|questioned)"
_QUESTION_VERB = (
    rf"(?:{_ASKING}|sought|requested|wanted\s+to\s+know|wished\s+to\s+know|"
    r"(?:was|were)\s+(?:permitted|allowed|invited)\s+to\s+ask|"
    r"(?:sent|submitted|tabled|put|wrote|emailed)\s+(?:\w+\s+){0,4}?(?:a|the|his|her|their|two|three)\s+(?:\w+\s+)?questions?|"
    r"wondered|challenged|pressed|probed|put\s+(?:a|the|his|her|their)\s+(?:\w+\s+)?questions?|"
    r"raised\s+(?:a\s+|the\s+|their\s+|his\s+|her\s+|some\s+)?(?:question|quer(?:y|ies)|concerns?|issues?|points?|matters?)|"
    r"expressed\s+(?:[\w'’]+\s+){0,3}?(?:concerns?|disappointment|surprise|frustrations?)|was\s+keen\s+to\s+(?:know|understand)|"
    r"followed\s+up)"
)
_STATEMENT_VERB = (
    r"(?:said|stated|noted|commented|clarified|explained|highlighted|added|suggested|pointed\s+out|remarked|"
    r"observed|emphasi[sz]ed|stressed|felt|considered|welcomed|informed|reported|indicated|acknowledged|"
    r"confirmed|advised|assured|reassured|responded|replied|answered|agreed|undertook|offered|shared|outlined|"
    r"accepted|recogni[sz]ed|believed|gave|provided|thanked|mentioned|expressed|raised|referred|argued|"
    r"proposed|reiterated|set\s+out|understood|updated|detailed|described|accepted|advocated|asserted|"
    r"conceded|continued|declined|denied|elaborated|expanded|promised|recalled|recommended|committed|pledged|"
    r"apologi[sz]ed|announced|presented|summari[sz]ed|introduced|drew\s+attention|reminded|urged|warned|"
    r"was\s+(?:not\s+)?(?:aware|confident|pleased|happy|unable|able|satisfied|content|clear)|would|had|could)"
)
# A word that can carry on a subject as its verb: lower case, not an article or preposition ("'s report" is not).
_VERB_LIKE = re.compile(
    r"(?!(?:the|a|an|of|and|or|in|on|at|to|for|with|from|by|report|reports|office|team)\b)[a-z]{2,}\b"
)
# The subject is asked, not asking: "X was asked whether …", "X was pressed on …".
_ASKED_OF = re.compile(
    r"(?:was|were)\s+(?:(?:also|then|further|specifically)\s+)?(?:asked|questioned|pressed|challenged)\b"
)
# A sentence ending in a question mark (closing quotes and brackets aside).
_DIRECT_QUESTION = re.compile(r"\?[\"'’”)\]]*\s*$")
# A member's sentence that goes on to ask: "… and asked whether …", "…, but also queried …".
_ASKS_LATER = re.compile(
    # "…, and through the Chair of the Panel, asked …": a phrase set off by commas may stand before the verb.
    rf"[,;]?\s+(?:and|but)\s+(?:[^,.;?!]{{1,60}},\s+)?(?:(?:also|then|further|specifically)\s+)?(?:{_ASKING}|"
    r"sought|requested|wanted\s+to\s+know|wished\s+to\s+know)\b"
    # "… reminded the Panel that at their last meeting he asked about …": the member tells what they asked.
    rf"|\bthat\s+(?:[^.?!]{{0,80}}?\s)?(?:he|she|they)\s+(?:had\s+)?(?:{_ASKING}|raised)\b"
)
# Asking a question proper, not requesting or raising: "asked if …", "queried whether …", "asked the CC how …".
_PUTS_QUESTION = re.compile(
    rf"\b(?:{_ASKING}|wanted\s+to\s+know)(?:\s+[\w/’']+){{0,4}}?\s+"
    r"(?:if|whether|how|what|why|when|where|who|which)\b"
)
# A reply whose speaker the subject patterns do not know: "The Leader of the Council (Councillor Y) responded that …".
_REPLIED = re.compile(r"^[^.?!;]{3,160}?\s(?:responded|replied|answered)\s*(?:that\b|to\b|by\b|,|:)")
# An introduction announcing more than one question: "Two written questions were received …".
_PLURAL = re.compile(r"\b(?i:two|three|four|five|six|several|[2-9]|\d{2,})\s+(?:\w+\s+)?questions\b")
_ANSWER_ONLY = re.compile(r"^(?:responded|replied|answered|undertook|assured|reassured)", re.I)
_BETWEEN = (
    r"(?:\s*\((?:[^()]|\([^()]{0,60}\)){1,120}\))?(?:\s+(?:of|from)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|and|of|the)){0,7})?"
    # ", Chair of the Panel," and ", referring to an article in a magazine," between the speaker and the verb
    r"(?:\s*,\s*[^,]{1,60},|\s*,\s*[a-z]+ing\b[^,.;?!]{1,160},|\s*,)?\s+"
    r"(?:(?:also|then|further|had|has|have|subsequently|additionally|again|briefly|specifically|duly|"
    r"kindly|therefore|however|both|jointly|in\s+turn|in\s+response|in\s+reply|further\s+to\s+this)\s+)*"
)
# A participial phrase before the subject ("Making reference to the papers before the Panel, he asked …",
# "Noting the national coverage, asked …"): it sets the scene; the sentence's speaker and verb come after its comma.
_PARTICIPLE_LEAD = r"(?:[A-Z][a-z]{2,}ing\s+[^,.;:?!]{2,200},\s+)"
_LEAD = (
    rf"^(?:[\"'‘“(]?\s*){_PARTICIPLE_LEAD}?(?:(?:(?:In|As|By\s+way\s+of)\s+(?:a|his|her|their|the)\s+"
    r"(?:(?:further|supplementary|follow[- ]up)\s+)+question|However|Furthermore|Moreover|Additionally|In\s+addition|"
    r"In\s+response|In\s+reply|Also|Then|Finally|Lastly|Secondly|Thirdly|Subsequently|Responding|Replying|"
    r"Following\s+this|In\s+turn|(?:With|At|In|On|During|After|Following|On\s+behalf\s+of|In\s+relation\s+to|With\s+regard\s+to|Regarding|"
    r"Referring\s+to|Further\s+to|Turning\s+to|On\s+the\s+(?:subject|issue|matter)\s+of)\s+[^,]{2,60})\s*,?\s+)?"
)
_SUBJECT = re.compile(
    rf"{_LEAD}(?P<subject>(?P<person>{PERSON})|(?P<chair>{_CHAIR})|(?P<collective>{_COLLECTIVE})|"
    rf"(?P<responder>{RESPONDER})|(?P<pronoun>[Ss]he|[Hh]e|[Tt]hey|It)|(?P<plain>{PLAIN_PERSON}))(?=\W)",
)
_VERB = re.compile(rf"(?P<question>{_QUESTION_VERB})|(?P<statement>{_STATEMENT_VERB})\b", re.I)
# "Information was requested on …", "… and clarification was sought on whether …", "It was asked whether …".
_PASSIVE_QUESTION = re.compile(
    r"(?:^\W*|\b(?:and|but|where|when)\s+)(?:"
    r"(?:Further\s+)?(?:Information|Clarification|Assurances?|Confirmation|Details|An?\s+update|Further\s+details|Concerns?)"
    r"\s+(?:was|were|had\s+been)\s+(?:requested|sought|asked\s+for|raised|expressed|queried)"
    r"|(?:An?\s+(?:further\s+|supplementary\s+|written\s+)?(?:question|query)|(?:Two|Three|Several|Some|Further)?\s*"
    r"(?:questions|queries))\s+(?:was|were|had\s+been)\s+(?:asked|raised|put)(?!\s+from\b)"
    r"|An?\s+(?:written\s+)?question\s+(?:was|had\s+been)\s+(?:given|received|submitted|tabled)\b(?=.{0,160}"
    r"\b(?:which\s+read|as\s+follows|read\s+the\s+following|asking)\b)"
    r"|It\s+was\s+(?:asked|queried|questioned|enquired)|Reference\s+was\s+made\s+to"
    # "Knife crime was highlighted as a concern to the public."
    r"|[^.?!]{3,120}?\s(?:was|were)\s+(?:highlighted|raised|flagged|identified)\s+as\s+(?:an?\s+)?(?:concern|issue)s?)\b",
    re.I,
)
# "Mrs Oyelaran's supplementary question was: …"
_POSSESSIVE_QUESTION = re.compile(
    rf"^\W*(?:(?:In|On|Regarding|Turning\s+to)\s+)?(?P<asker>{PERSON}|{PLAIN_PERSON}|{_CHAIR})['’]s?\s+"
    r"(?P<supp>(?:supplementary|follow[- ]up|further|second)\s+)?"
    r"(?:question|query|concern|request|point)\s+(?:was|read|asked|about|on|regarding|concerning|relating|around|"
    r"over|in\s+relation|as\s+to|whether|why|how|what|that)\b"
)
# A point put on the record by someone on the asking side: "It was highlighted by a Member that …", "It was also
# suggested by Cllr X that …", and a matter opened for discussion: "A discussion took place regarding …".
_RAISED_BY = re.compile(
    rf"^\W*It\s+was\s+(?:also\s+|further\s+)?(?:highlighted|raised|noted|pointed\s+out|asked|queried|questioned|"
    rf"suggested|commented|stated|mentioned|observed|argued|felt|requested|emphasi[sz]ed|stressed)\s+by\s+"
    rf"(?P<asker>{PERSON}|{_CHAIR}|{_COLLECTIVE}|{PLAIN_PERSON})"
    r"|^\W*(?:(?:With\s+reference\s+to|Under|In\s+relation\s+to|Referring\s+to)\b[^.]{3,160}?\s+)?"
    r"(?:an?\s+|some\s+)?(?:(?:brief|short|lengthy|further|general)\s+)?(?:discussion|debate)\s+(?:then\s+)?"
    r"(?:took\s+place|ensued|followed)\s+(?:regarding|about|on|around|concerning|in\s+relation\s+to|over)\b",
    re.I,
)
# The asker named as the agent of a passive question: "A question was raised by Cllr X about …", "Concerns were
# expressed by Mr Y regarding …".
_AGENT = re.compile(
    rf"\b(?:was|were|had\s+been)\s+(?:asked|raised|put|expressed|sought|requested|queried|posed)\s+by\s+"
    rf"(?P<asker>{PERSON}|{_CHAIR}|{PLAIN_PERSON})"
)
# A question put with its asker named above it ("Councillor X:" then "· Asked whether …", "Queried …").
_ASKED_FIRST = re.compile(
    # The verb anchors the phrase before it, which may hold commas ("Noting the coverage, especially …, asked").
    rf"^\W*(?:[A-Z][a-z]{{2,}}ing\s+[^.;:?!]{{2,240}}?,\s+)?(?:(?:also|then|further|additionally)\s+)?(?:{_ASKING}|sought|requested|"
    r"raised|pressed|challenged|wanted\s+to\s+know)\b",
    re.I,
)
# "It was confirmed that …": an answer with no one named.
_PASSIVE_ANSWER = re.compile(
    r"^\W*(?:(?:in\s+(?:response|reply|answer)|responding|in\s+turn)\s*,?\s+)?"
    r"(?:it\s+was\s+(?:confirmed|explained|clarified|reported|advised|stated|acknowledged|agreed|indicated)\s+that|"
    # "The Commissioner's response was that …", "My response to that is …"
    r"(?:my|our|his|her|their|the(?:\s+[A-Z]\w*(?:\s+[A-Z]\w*){0,3}['’]s?)?)\s+(?:response|reply|answer)"
    r"(?:\s+to\s+(?:that|this|it|the\s+question))?\s+(?:is|was|had\s+been)\b|"
    # "Members were advised …", "They were reassured by the Deputy Mayor that …": told, so answered.
    r"(?:members|the\s+panel|the\s+committee|they)\s+(?:were|was)\s+(?:advised|informed|told|assured|reassured)\b)",
    re.I,
)
# How many questions a sentence announces: "one", "two", "a", "several", "3".
_COUNT = r"(?i:one|two|three|four|five|six|\d+|a|an|several)"
# "One question was received from Cllr John Furey", "Mr Smith had submitted two questions".
_INTRO = re.compile(
    rf"\b(?:(?:{_COUNT}|(?i:the\s+following))\s+(?:written\s+|supplementary\s+|public\s+)?"
    # "The following question was submitted by …"; in a heading's shorthand, "… question as submitted by …";
    # "A statement was provided to the Panel by X as follows:" (a member of the public's questions, in a statement)
    rf"(?:questions?|statements?)\s+(?:was|were|had\s+been|as)\s+(?:received|submitted|asked|put|tabled|provided|made)"
    rf"(?:\s+to\s+the\s+(?:Panel|Committee|Board))?(?:\s+(?:from|by)\s+"
    rf"(?P<asker>{PERSON}|{_COLLECTIVE}|{PLAIN_PERSON}))?|(?P<asker2>{PERSON})\s+(?:had\s+)?(?:submitted|tabled|put)\s+"
    rf"(?:a|an|the\s+following|one|two|three|\d+)\s+(?:\w+\s+)?questions?"
    # "Councillor Bryn Turner … was welcomed to the meeting and invited to put his question to the Commissioner."
    rf"|(?P<asker3>{PERSON})\b[^.]{{0,160}}?\b(?:was|were)\s+(?:\w+\s+){{0,8}}?(?:invited|asked)\s+to\s+"
    rf"(?:put|ask|present|read)\s+(?:his|her|their|a|the)\s+(?:\w+\s+)?questions?"
    # "Two questions from Mr Paul Howlett had been emailed to the OPCC."
    rf"|\b{_COUNT}\s+(?:written\s+|public\s+)?questions?\s+from\s+"
    rf"(?P<asker5>{PERSON}|{PLAIN_PERSON})\s+(?:had\s+been|have\s+been|were|was)\s+\w+ed\b"
    # "The Panel had received one question from a member of public …"
    rf"|\b(?:received|considered)\s+{_COUNT}\s+(?:written\s+|public\s+)?"
    rf"questions?(?:\s+from\s+(?P<asker4>{PERSON}|{_COLLECTIVE}|{PLAIN_PERSON}))?)",
)
# "In response to a question (from Cllr X) on …, the Commissioner confirmed …": the asking is the lead clause.
_IN_RESPONSE = re.compile(
    rf"^\W*(?:(?:In\s+(?:response|reply|answer)\s+to|Responding\s+to|Replying\s+to|Answering)\s+(?:question\s+|point\s+)?"
    rf"(?P<refers>\d{{1,2}}(?:\.\d{{1,2}}){{0,2}}|\([a-z0-9]{{1,3}}\))\s*,?\s+(?=(?:the\s+)?[A-Z])"
    rf"|(?:(?:In\s+(?:response|reply|answer)\s+to|Responding\s+to|Replying\s+to|Answering|When\s+asked|Asked)\s+"
    rf"(?P<what>[^,;]{{3,240}}?(?:,\s+(?:what|how|why|when|where|who|whether|which)\b[^,;]{{3,200}}?)?)|(?:With\s+(?:regards?|reference|respect)\s+to|In\s+relation\s+to|Regarding|On|"
    rf"Further\s+to|Following(?:\s+up)?)\s+"
    # "Regarding the question from …", "Regarding Commissioner's question 1 from Cllr X, the PCC added …",
    # "Following questions from the previous meeting the Commissioner confirmed …".
    rf"(?P<topic>(?:(?:an?|the)\s+|\w+['’]s\s+|(?=(?:questions|queries|concerns)\b))(?:\w+\s+)?"
    rf"(?:question|query|queries|concern|point|discussion|request)s?"
    rf"\b[^,;]{{0,240}}?))"
    # After a comma, whoever speaks next answers; with no comma, only the answering side with its verb.
    rf"(?:\s*,\s*(?={RESPONDER}|{_CHAIR}|{PERSON}|(?:she|he|they)\b|it\s+was\s+\w+ed\s+that"
    # "In response to the question, what risks had been identified, the Panel was informed that …"
    rf"|(?:the\s+)?(?:Panel|Committee|Members|Board)\s+(?:was|were)\s+(?:informed|advised|told|assured))"
    # "In response to questions it was further explained:", "In response to Members questions it was heard that …"
    rf"|\s+(?=it\s+was\s+(?:further\s+|also\s+)?(?:explained|heard|noted|confirmed|stated|reported|advised)\b)"
    rf"|\s+(?=(?:the\s+)?(?:{RESPONDER})\s+(?:{_STATEMENT_VERB})\b)))",
    re.I,
)
_QUESTION_FROM = re.compile(
    rf"(?:question|query|queries|questions)(?:\s+\d{{1,2}})?\s+(?:from|by|raised\s+by)\s+(?P<asker>{PERSON})"
)
# An action line of a meeting's action list: "PCC to send the Panel …", "Action: OPCC to report back on …".
_ACTION = re.compile(
    rf"^\W*(?:Actions?(?:\s+(?:point|no\.?))?\s*\d{{0,3}}\s*[:\-–]\s*\S"
    rf"|(?:{RESPONDER})\s+to\s+(?!be\b|date\b)[a-z]{{3,}}\b)"
)
_NOTE = re.compile(
    r"^\W*(?:RESOLVED|UNANIMOUSLY\s+RESOLVED|It\s+was\s+(?:RESOLVED|agreed|noted|moved|proposed)|"
    # "The Panel received the report" notes it; "The Panel received one written question" introduces a question.
    r"The\s+(?:Panel|Committee|Board)\s+(?:RESOLVED|resolved|noted|agreed|AGREED|NOTED|thanked|"
    rf"received(?!\s+{_COUNT}\s+(?:\w+\s+)?questions?\b)|approved|"
    r"endorsed|considered)|The\s+(?:Chair(?:man|woman)?|Vice[- ]Chair(?:man)?)\s+thanked|ACTION\b|Action\s*:)",
)
# Labels: "Q:", "Question:", "A:", "Answer:", "Response:", "PCC Response:", "Supplementary question:".
LABEL = re.compile(
    r"^\W*(?P<label>(?P<supp>Supplementary\s+(?:question|Q))|(?P<q>Q(?:uestion)?(?:\s*\d{1,3})?)|"
    # "A:" answers; "a." is a list's first letter, so the bare letter is a label only in capitals.
    r"(?P<a>(?:(?:PCC|Commissioner['’]?s?|OPCC|Chief\s+Constable['’]?s?|Chair['’]?s?)\s+)?(?:(?-i:A)|Answer|Response|Reply)))"
    r"\s*[:.\-–]\s+",
    re.I,
)
# A speaker's turn in a transcript: the name, their role in brackets, a colon.
_TURN = re.compile(
    rf"^\W*(?P<who>(?:{TITLE}\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,3}})\s*\((?P<role>[^()]{{1,60}})\)\s*:\s+(?=\S)"
)
# A speaker named without a title, then a colon, as minutes of a public session set out who said what.
# What they say opens a sentence; a topic before a colon runs on in lower case ("Virtual Courts: why were …").
_NAMED_TURN = re.compile(rf"^\W*(?P<who>{PLAIN_PERSON})\s*:\s+(?=[A-Z\"“‘'])")
# A field of a page's header is no name: "Asked Of:", "Answered By:", "Question By:".
_FIELD_WORDS = re.compile(r"\b(?:Of|By|For|To|On|At|From|Asked|Answered|Question|Session|Date)\b")
_SCRIPT_LABEL = re.compile(
    rf"^\W*(?:(?:Q|Question)\s*\d{{1,3}}\s+(?P<who>{PERSON})|(?P<office>PCC|PFCC|DPCC|Commissioner|Deputy\s+PCC))\s*:\s+(?=\S)"
)
# After "Q:", who asks, then a dash: "Ashley Reay, Frome Community Speedwatch – Why …".
_Q_ASKER = re.compile(r"^(?P<who>[A-Z][^–—:?]{2,90}?)\s+[–—-]\s+(?=\S)")
SUPPLEMENTARY = re.compile(r"\b(?:supplementary|follow[- ]?up|further|then|also|additionally)\b", re.I)
# A clause boundary after which a second move may start in one sentence (", to which the PCC replied that …").
_CLAUSE = re.compile(
    rf"(?:[,;:]\s+(?:and\s+|but\s+|to\s+which\s+|whereupon\s+|in\s+response\s+)?|\s[–—-]\s+|\s+and\s+(?:that\s+)?)"
    rf"(?=(?:the\s+)?(?:{RESPONDER})\s+(?:(?:had|then|also)\s+)?(?:responded|replied|answered|confirmed|advised|explained|"
    rf"said|stated|assured|agreed|undertook|indicated|acknowledged|added)\b)",
)


@dataclass(frozen=True)
class Move:
    """What one sentence (or clause) of a text does.

    kind: "question" (a question put, or said on the asking side), "answer" (said on the answering
        side), "note" (the Panel notes, agrees, resolves), "intro" ("One question was received from
        X"), or "none" (no move of its own: it carries on the one before).
    start, end: the character offsets of the sentence in the text.
    asker: who asks, as written ("Councillor Mike Mackrory", "Chair", "Vice-Chair"), None when the
        text names nobody or the Panel as a whole.
    responder: who answers, as written ("The Commissioner", "Councillor Croad (Chair)").
    pronoun: the subject is "She"/"He"/"They": the speaker of the sentence before.
    supplementary: a follow-up question ("further asked", "a supplementary question").
    label: the move was labelled ("Q:", "Response:") rather than reported.
    asks: a question is put (a question verb, a label, a question mark), not only said on the asking side.
    refers: the number of the question an answer says it answers ("In response to 5.3.2 …").
    action: a line of an action list ("PCC to send the Panel …"): a request of its own, whatever stands around it.
    plural: an introduction that announces more than one question ("Two written questions were received from …"):
        each paragraph under it that asks is a question of its own.
    speaker: a name with no title opening a sentence that makes no move ("Andy Burnham informed Members …"): it
        answers when the text names that person as the Commissioner's side (a mayor, a Commissioner by name).
    weak: an answer read from its subject alone (a verb of no known kind): it answers a pending question, and is
        no move where none is pending ("The PCC had allocated grant funding …" opening a point); a question read
        from its question mark alone, or asked by someone on the answering side: it asks, unless an answer is being
        read (by someone else, for the answering side's own question).
    """

    kind: MoveKind
    start: int
    end: int
    asker: str | None = None
    responder: str | None = None
    pronoun: bool = False
    supplementary: bool = False
    label: bool = False
    asks: bool = False
    refers: str | None = None
    action: bool = False
    weak: bool = False
    plural: bool = False
    speaker: str | None = None


def asker_name(subject: str) -> str | None:
    """How an asker is cited: a person as written, "Chair" or "Vice-Chair", None for the Panel or a member."""
    subject = subject.strip()
    chair = re.fullmatch(_CHAIR, subject, re.I)
    if chair:
        return "Vice-Chair" if chair.group("vice") else "Chair"
    if re.fullmatch(_COLLECTIVE, subject, re.I):
        return None
    return subject


def _responder_name(subject: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", subject.strip())
    return text[:1].upper() + text[1:]


_MINUTES_LABEL = re.compile(r"(?:^|(?<=\s))Minutes\s*:\s+(?=\S)")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text` as moves are read: a paragraph number left out."""
    spans: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        number = LEADING_NUMBER.match(text, start, end)
        start = number.end() if number else start
        # A flattened ModernGov row ("Review of Actions Minutes: Following questions …, the Commissioner confirmed …"):
        # its "Minutes:" label ends the item's title; the minute is read from after it.
        label = _MINUTES_LABEL.search(text, start, end)
        if label is not None and label.start() > start:
            spans.append((start, label.end()))
        spans.append((label.end() if label is not None else start, end))
    # A bracketed answer is a sentence of its own: "… police the event? [The PCC replied that …]".
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cut = start
        for match in re.finditer(r"\s\[(?=[A-Z])", text[start:end]):
            if start + match.start() > cut:
                out.append((cut, start + match.start()))
                cut = start + match.start() + 1
        out.append((cut, end))
    return out


# The Commissioner's side named as a person: "Lord Willy Bach, the Leicestershire Police and Crime Commissioner",
# "Police and Crime Commissioner Philip Wilkinson", "the Chief Executive of the OPCC, Naji Darwish".
_OFFICE = (
    rf"(?:(?:Deputy|Assistant)\s+)?(?:{_COMMISSIONER_TITLE}|"
    r"D?P(?:F)?C(?:V)?C|Commissioner|Chief\s+Constable|Chief\s+Executive(?:\s+of\s+the\s+[A-Z][\w\s]{2,60}?)?|"
    # A mayor holds the Commissioner's powers (Greater Manchester, West Yorkshire, London).
    r"Mayor(?:\s+of\s+[A-Z]\w+(?:\s+[A-Z]\w+)?)?)"
)
_OFFICE_IN = re.compile(_OFFICE)
_RESPONDER_ONLY = re.compile(RESPONDER)
# An office and the name that goes with it stand on one line: a heading ending "… Commissioner" over a paragraph
# opening "Mr Bob Smith noted …" names no Commissioner.
_NAMED_WORDS = rf"(?:{TITLE}[ \t]+)?{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"
_OFFICE_THEN_NAME = re.compile(
    rf"\b{_OFFICE}[ \t]*,?[ \t]+(?P<name>{_NAMED_WORDS})(?=[ \t]*[,.;:)]|[ \t]+(?:[a-z]|OBE|MBE|QPM))"
)
_NAME_THEN_OFFICE = re.compile(
    rf"(?P<name>{_NAMED_WORDS})(?:[ \t]*[,(]|[ \t]+(?:was|had\s+been)\s+(?:re-?)?(?:elected|appointed)(?:\s+as)?)"
    rf"\s*(?:the\s+)?(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?['’]?s?\s+)?{_OFFICE}\b(?!['’]s)"
)


@lru_cache(maxsize=256)
def answering_surnames(text: str) -> frozenset[str]:
    """Surnames (lower case) of people a text names as the Commissioner, their deputy, their office's chief executive
    or the Chief Constable: whatever such a person goes on to say answers, whatever is asked of them is no member's."""
    found: set[str] = set()
    for pattern in (_OFFICE_THEN_NAME, _NAME_THEN_OFFICE):
        for match in pattern.finditer(text):
            words = [w for w in match.group("name").split() if w.strip(".") and w[0].isupper()]
            words = [w for w in words if not re.fullmatch(TITLE, w)]
            if words and not re.fullmatch(rf"{_NOT_A_NAME}|{_BODY_WORD}", words[-1]):
                found.add(words[-1].strip(".,").lower())
    return frozenset(found)


def read_move(text: str, start: int, end: int) -> Move:
    """The move of the sentence text[start:end]."""
    sentence = text[start:end]
    bracketed = sentence.lstrip().startswith("[")
    body = sentence.lstrip(" [")
    label = LABEL.match(body)
    if label:
        rest = body[label.end() :]
        if label.group("a"):
            return Move("answer", start, end, responder=_label_responder(label.group("label")), label=True)
        named_by = _Q_ASKER.match(rest)
        asker = named_by.group("who").strip() if named_by and len(named_by.group("who").split()) <= 12 else None
        return Move("question", start, end, asker=asker, supplementary=bool(label.group("supp")), label=True, asks=True)
    turn = _TURN.match(body)
    if turn:
        # A verbatim transcript: "Joanne McCartney (AM): Can you tell me …" / "Boris Johnson (Mayor of London): …".
        speaker, role = turn.group("who"), turn.group("role")
        if _OFFICE_IN.search(role) or _RESPONDER_ONLY.fullmatch(role.strip()):
            return Move("answer", start, end, responder=f"{speaker} ({role})", label=True)
        return Move("question", start, end, asker=speaker, label=True, asks=True)
    named = _NAMED_TURN.match(body)
    if named and not _FIELD_WORDS.search(named.group("who")):
        # "Richard Taylor: Would the Commissioner meet …?" asks; "Rebecca Avery: The Commissioner did attend …" answers
        # the question pending, if one is.
        if body.rstrip(" .\"'’”)]").endswith("?"):
            return Move("question", start, end, asker=named.group("who"), asks=True)
        return Move("answer", start, end, responder=named.group("who"), weak=True)
    script = _SCRIPT_LABEL.match(body)
    if script:
        # Minutes set out as a script: "Q1 Ms Shepherd: Raised concern …" / "PCC: Confirmed that …".
        if script.group("office"):
            return Move("answer", start, end, responder=script.group("office"), label=True)
        return Move("question", start, end, asker=script.group("who"), label=True, asks=True)
    if _ACTION.match(body):
        return Move("question", start, end, asks=True, action=True)
    if _NOTE.match(body):
        return Move("note", start, end)
    if _PASSIVE_ANSWER.match(body):
        return Move("answer", start, end)
    intro = _INTRO.search(body)
    if intro:
        # "… from a member of the public, Mr Clive Ainsworth of Thirsk, asking whether …": the name, and the question.
        named = re.search(PERSON, body[intro.start() :])
        who: str | None = (
            named.group(0)
            if named
            else intro.group("asker")
            or intro.group("asker2")
            or intro.group("asker3")
            or intro.group("asker4")
            or intro.group("asker5")
        )
        # "… asking whether …", or the question itself quoted after a colon ("… read out …: “Does the PCC …").
        asking = bool(
            re.search(r"\b(?:asking|which\s+asked|who\s+asked)\b|:\s*[“\"‘']\s*\w", body)
            or _DIRECT_QUESTION.search(body)
        )
        kind: MoveKind = "question" if asking else "intro"
        plural = _PLURAL.search(intro.group(0)) is not None
        return Move(kind, start, end, asker=asker_name(who) if who else None, asks=asking, plural=plural)
    possessive = _POSSESSIVE_QUESTION.match(body)
    if possessive:
        supplementary = bool(possessive.group("supp"))
        return Move(
            "question", start, end, asker=asker_name(possessive.group("asker")), supplementary=supplementary, asks=True
        )
    if _ASKED_FIRST.match(body):
        return Move("question", start, end, supplementary=bool(SUPPLEMENTARY.match(body)), asks=True)
    raised = _RAISED_BY.match(body)
    if raised:
        who = raised.group("asker")
        return Move("question", start, end, asker=asker_name(who) if who else None, asks=True)
    subject = _SUBJECT.match(body)
    member = subject is not None and bool(subject.group("person") or subject.group("chair") or subject.group("plain"))
    if _PASSIVE_QUESTION.search(body) and not (subject and subject.group("responder")):
        further = bool(re.match(r"\W*(?:A\s+)?(?:further|supplementary)", body, re.I))
        agent = _AGENT.search(body)
        # "Councillor X referred to …, and it was queried whether …": the member who spoke asked.
        who = agent.group("asker") if agent else subject.group("subject") if subject and member else None
        return Move("question", start, end, asker=asker_name(who) if who else None, supplementary=further, asks=True)
    if subject is None:
        if _DIRECT_QUESTION.search(body):
            # A question printed as asked ("How widespread are problems with trail bikes? …"): it asks, unless it
            # stands inside an answer (the exchange finder decides, as for a weak move).
            return Move("question", start, end, asks=True, weak=True)
        if _REPLIED.match(body):
            # "The Leader of the Council (Councillor Y) responded that …": whoever replies answers what is pending.
            return Move("answer", start, end, weak=True)
        return Move("answer" if bracketed and len(body.split()) >= 3 else "none", start, end)
    after = _skip_between(body, subject.end())
    if _ASKED_OF.match(body, after) and not subject.group("pronoun"):
        # "Lord Bach was asked whether …": a question put to the subject; who put it is not said.
        return Move("question", start, end, asks=True, supplementary=bool(SUPPLEMENTARY.search(body[: after + 40])))
    verb = _VERB.match(body, after)
    if verb is None and member and _ASKS_LATER.search(body, subject.end()):
        # "Mr Andrew Hill, attended the meeting remotely, and … asked the Commissioner …": whatever the member did
        # first, they go on to ask.
        return Move("question", start, end, asker=asker_name(subject.group("subject")), asks=True)
    if verb is None:
        # Whatever the answering side goes on to do ("The PCC encouraged …", "The Commissioner was still in dialogue"),
        # it answers: the subject decides the side, the verb need not be one of a list.
        if subject.group("responder") and _VERB_LIKE.match(body, after):
            return Move("answer", start, end, responder=_responder_name(subject.group("subject")), weak=True)
        return Move("answer" if bracketed else "none", start, end)
    asks = verb.group("question") is not None
    # "Councillor X referred to … and asked whether …", "Cllr Y replied that … and asked that the PCC …": a member
    # who goes on to ask puts a question, whatever verb the sentence opens with.
    asks_later = member and not asks and _ASKS_LATER.search(body, verb.end()) is not None
    asks = asks or asks_later
    if subject.group("plain") and not asks:
        # A name with no title asks only with a verb of asking; the exchange finder knows if it answers.
        return Move("none", start, end, speaker=subject.group("subject"))
    asks = asks or body.rstrip(" .\"'’”)]").endswith("?")
    if subject.group("pronoun"):
        return Move("question" if asks else "none", start, end, pronoun=True, supplementary=asks, asks=asks)
    if subject.group("responder"):
        speaker = _responder_name(subject.group("subject"))
        if _PUTS_QUESTION.search(body, verb.start()):
            # "The PCC asked if the CC was confident …" (a Commissioner holding the force to account): a question, when
            # someone else on the answering side is answering; inside their own answer it is part of it.
            return Move("question", start, end, asker=speaker, responder=speaker, asks=True, weak=True)
        return Move("answer", start, end, responder=speaker)
    speaker = subject.group("subject")
    if _ANSWER_ONLY.match(verb.group(0)) and not asks_later:
        # A councillor or the Chair who replies answers (a public question put to the Panel).
        return Move("answer", start, end, responder=_responder_name(speaker))
    mid = body[: verb.start()] + body[verb.end() : verb.end() + 40]
    supplementary = bool(SUPPLEMENTARY.search(mid)) if asks else False
    return Move("question", start, end, asker=asker_name(speaker), supplementary=supplementary, asks=asks)


def _skip_between(text: str, at: int) -> int:
    match = re.compile(_BETWEEN).match(text, at)
    return match.end() if match else at


def _label_responder(label: str) -> str | None:
    words = label.split()
    return words[0].rstrip("’'s") if len(words) > 1 else None


@lru_cache(maxsize=4096)
def read_moves(text: str) -> tuple[Move, ...]:
    """The moves of a text, sentence by sentence; a sentence that asks and answers gives two.

    Cached: detecting the layout, telling headings from text and finding exchanges read the same blocks.
    """
    out: list[Move] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        lead = _IN_RESPONSE.match(sentence)
        if lead and lead.group("refers"):
            # "In response to 5.3.2 the Commissioner explained …": an answer to a question numbered above.
            said = _SUBJECT.match(sentence[lead.end() :].lstrip(" ,"))
            responder = _responder_name(said.group("subject")) if said and not said.group("pronoun") else None
            out.append(Move("answer", start, end, responder=responder, refers=lead.group("refers").strip("()")))
            continue
        if lead:
            asked = _QUESTION_FROM.search(lead.group("what") or lead.group("topic"))
            asker = asker_name(asked.group("asker")) if asked else None
            out.append(Move("question", start, start + lead.end(), asker=asker, asks=True))
            # What follows "In response to a question on …," is the answer, whoever gives it (the Chair of a committee).
            said = _SUBJECT.match(sentence[lead.end() :])
            responder = _responder_name(said.group("subject")) if said and not said.group("pronoun") else None
            out.append(Move("answer", start + lead.end(), end, responder=responder))
            continue
        move = read_move(text, start, end)
        if move.kind == "none":
            clause = _asked_in_clause(text, start, end)
            if clause is not None and _ASKED_FIRST.match(text[clause.start : clause.end]):
                # "Members discussed the proposal and raised concerns about …": the subject asks, in the whole sentence.
                out.append(replace(clause, start=start))
                continue
            if clause is not None:
                # "There had been some discussion about X and one Member had questioned why …": the second clause asks.
                out += [replace(move, end=clause.start), clause]
                continue
        split = _CLAUSE.search(sentence) if move.kind == "question" else None
        if split is not None and split.end() < len(sentence):
            out.append(replace(move, end=start + split.start()))
            answer = read_move(text, start + split.end(), end)
            out.append(answer if answer.kind == "answer" else Move("answer", start + split.end(), end))
            continue
        out.append(move)
    return tuple(out)


def _asked_in_clause(text: str, start: int, end: int) -> Move | None:
    """The question a later clause of a sentence puts ("… and one Member had questioned why …"), if any."""
    for clause in _AND_CLAUSE.finditer(text, start, end):
        move = read_move(text, clause.end(), end)
        if move.kind == "question" and move.asks and not move.weak:
            return move
    return None


_AND_CLAUSE = re.compile(r"[,;]?\s+(?:and|but)\s+(?=[A-Za-z])")


# Label headings standing alone: "Question 1: from Cllr H Dhindsa", "Question by Mr Gareth Derrick",
# "Public question 2", "Supplementary Question:", "PCC Response:", "Response by Councillor Croad (Chair)".
QUESTION_HEADING = re.compile(
    r"^\W*(?:(?:Public|Member|Members['’]?|Written|Panel)\s+)?(?:question|q|questions(?=\s*\d))(?:\s+on\s+notice)?\s*(?:no\.?\s*)?"
    r"(?P<number>\d{1,3})?\s*[:.)-]?\s*"
    r"(?:(?:from|by|asked\s+by|submitted\s+by|raised\s+by)\s+(?P<who>.+?))?\s*:?\s*$",
    re.I,
)
# A numbered label with the asker straight after it: "Q2 Councillor Bird", "Question 1: Cllr Ann Dale".
NUMBERED_ASKER_HEADING = re.compile(
    rf"^\W*(?:[Qq]|[Qq]uestion|QUESTION)\s*(?:[Nn]o\.?\s*)?(?P<number>\d{{1,3}})\s*[:.)-]?\s*(?P<who>{PERSON})\s*:?\s*$"
)
SUPPLEMENTARY_HEADING = re.compile(
    r"^\W*supplementary\s+(?:question|q)\s*(?:\d{1,3})?\s*[:.)-]?\s*(?:(?:from|by|asked\s+by)\s+(?P<who>.+?))?\s*:?\s*$",
    re.I,
)
RESPONSE_HEADING = re.compile(
    r"^\W*(?:(?P<prefix>pcc|commissioner(?:['’]s)?|chief\s+constable(?:['’]s)?|opcc|chair(?:['’]s)?|written)\s+)?"
    # "Answered By:", and a transcript's "Answer for Police Numbers" (the question's title after "for").
    r"(?:response|reply|answer(?:ed)?)\s*(?:\d{1,3})?\s*(?:(?:from|by|of)\s+(?:the\s+)?(?P<who>.+?)|for\s+.+?|by)?\s*:?\s*$",
    re.I,
)
# "Chairman Cllr McGuire's reply was:", "The Commissioner's response:": whose answer follows.
WHOSE_RESPONSE_HEADING = re.compile(
    r"^\W*(?P<who>[A-Z][^:?.]{1,60}?)['’]s?\s+(?:written\s+)?(?:response|reply|answer)(?:\s+(?:was|is))?\s*:\s*$"
)
# A member's name standing as a heading over the questions they asked: "Mr A Member:", "Councillor Smith".
NAME_HEADING = re.compile(
    rf"^\W*(?:(?P<who>{PERSON})(?:\s*\([^()]{{1,60}}\))?\s*[:–-]?|(?P<plain>{PLAIN_PERSON})(?:\s*\([^()]{{1,60}}\))?\s*:)\s*$"
)


# Who asks whom, over the question: "Councillor Roodhouse to Councillor Clarke", "Cllr Fradgley to Councillor
# Reilly (Chair of the Police and Crime Panel)", "Mr Hill to the Police and Crime Commissioner".
ADDRESSED_HEADING = re.compile(
    rf"^\W*(?P<who>{PERSON})\s+to\s+(?:the\s+)?(?:{PERSON}|{RESPONDER}|Chair(?:man)?|Leader)"
    r"(?:\s*\([^()]{1,80}\))?\s*[.:]?\s*$"
)
# A member's name and a dash before what they go on to say: "Councillor Baker - The Mayor recently announced …".
NAME_DASH = re.compile(rf"^[^\w(]*(?P<who>{PERSON})\s+[–—-]\s+(?=\S)")
# A name in brackets closing a question: "(Cllr J Frudd)", "(Maureen Castleton – Dover District Council)".
BRACKETED = re.compile(r"\(\s*(?P<who>[^()]{3,90}?)\s*\)\W*$")
_NAME_ONLY = re.compile(rf"^(?:{PERSON}|(?:{NAME_WORD}\s+){{1,3}}{NAME_WORD})$")


def bracketed_asker(text: str) -> str | None:
    """The person named in brackets at the end of a question, as written ("Cllr J Frudd"), or None."""
    match = BRACKETED.search(text)
    if not match:
        return None
    who = re.split(r"\s+[–—-]\s+|,\s*", match.group("who"))[0].strip()
    return who if _NAME_ONLY.match(who) and len(who.split()) >= 2 else None


@dataclass(frozen=True)
class Label:
    """A label heading: the role of the text under it, who it names and its number."""

    role: Literal["question", "supplementary_question", "answer", "asker"]
    who: str | None = None
    number: str | None = None


def read_label(text: str) -> Label | None:
    """The label a heading line is, or None: "Question 2: from Cllr X", "PCC Response:", "Mr A Member:"."""
    text = text.strip()
    if len(text.split()) > 16:
        return None
    supplementary = SUPPLEMENTARY_HEADING.match(text)
    if supplementary:
        return Label("supplementary_question", supplementary.group("who"))
    numbered = NUMBERED_ASKER_HEADING.match(text)
    if numbered:
        return Label("question", numbered.group("who"), numbered.group("number"))
    question = QUESTION_HEADING.match(text)
    labelled = question and (question.group("number") or question.group("who") or text.rstrip().endswith(":"))
    if question and (labelled or len(text.split()) <= 2):
        return Label("question", question.group("who"), question.group("number"))
    response = RESPONSE_HEADING.match(text)
    if response:
        prefix = response.group("prefix")
        who = response.group("who") or (prefix.upper() if prefix and prefix.lower() == "pcc" else prefix)
        return Label("answer", who.strip() if who else None)
    whose = WHOSE_RESPONSE_HEADING.match(text)
    if whose:
        return Label("answer", re.sub(r"^(?:the|The)\s+", "", whose.group("who")))
    addressed = ADDRESSED_HEADING.match(text)
    if addressed:
        return Label("question", addressed.group("who"))
    name = NAME_HEADING.match(text)
    if name and not (name.group("plain") and _FIELD_WORDS.search(name.group("plain"))):
        return Label("asker", name.group("who") or name.group("plain"))
    return None
