"""Samverkan's FHIR R4 messaging profile: code systems, extensions and identifier systems."""

BASE = "https://samverkan.example/fhir"
EVENT_SYSTEM = f"{BASE}/CodeSystem/los-event"
DESTINATION_SYSTEM = f"{BASE}/CodeSystem/discharge-destination"
EVENT_TIME = f"{BASE}/StructureDefinition/event-time"  # MessageHeader: the clinical time
EXPECTED_DATE = f"{BASE}/StructureDefinition/expected-discharge-date"  # Encounter, valueDate
SIP_NEEDED = f"{BASE}/StructureDefinition/sip-needed"  # Encounter, valueBoolean
SIP_CONSENT = f"{BASE}/StructureDefinition/sip-consent"  # Encounter, valueBoolean
CHECKLIST = f"{BASE}/StructureDefinition/discharge-checklist"  # Encounter, complex
REASON = f"{BASE}/StructureDefinition/reason"  # MessageHeader, valueString (free text)

# HL7 Sweden's base profiles (DOMAIN.md §8)
PERSONNUMMER = "http://electronichealth.se/identifier/personnummer"
SAMORDNINGSNUMMER = "http://electronichealth.se/identifier/samordningsnummer"
IDENTITY_SYSTEMS = {PERSONNUMMER: "personnummer", SAMORDNINGSNUMMER: "samordningsnummer"}
HSA_SYSTEMS = ("urn:oid:1.2.752.29.4.19", "urn:oid:1.2.752.129.2.1.4.1")

FHIR_JSON = "application/fhir+json"

# Outbound messages (samverkan/fhir/outbound.py)
SOURCE_ENDPOINT = f"{BASE}/R4"
CASE_SYSTEM = f"{BASE}/identifier/case"  # the case's short id
MESSAGE_KIND_SYSTEM = f"{BASE}/CodeSystem/message-kind"  # Samverkan's message kinds
