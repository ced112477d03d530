#!/usr/bin/env bash
# Which of the objects the CRM reads does a 1C publication of the standard
# OData interface answer? One light request per object (the first row, its
# key only), as the CRM's "Test connection" does.
#
#   onec/kit/odata/check.sh https://srv-1c-buh.tehnosnab.local/buh crm_exchange [bp30|ut11|ka2]
#
# The password is asked once (or taken from ODATA_PASSWORD) and handed to
# curl on its standard input, not on the command line. Extra curl options
# (e.g. --cacert ca.pem) go in CURL_OPTS. See docs/1c-integration.md, section 11.
set -u

BASE="${1:?usage: check.sh https://SERVER/PUBLICATION USER [bp30|ut11|ka2]}"
LOGIN="${2:?usage: check.sh https://SERVER/PUBLICATION USER [bp30|ut11|ka2]}"
CONFIGURATION="${3:-bp30}"
ODATA="${BASE%/}/odata/standard.odata"

case "$CONFIGURATION" in
    bp30) OBJECTS="Document_ПоступлениеНаРасчетныйСчет Document_ПриходныйКассовыйОрдер Catalog_Контрагенты
                   Catalog_ДоговорыКонтрагентов Catalog_Валюты ChartOfAccounts_Хозрасчетный
                   AccountingRegister_Хозрасчетный" ;;
    ut11|ka2) OBJECTS="Document_ПоступлениеБезналичныхДенежныхСредств Document_ПриходныйКассовыйОрдер
                       Catalog_Контрагенты Catalog_ДоговорыКонтрагентов Catalog_Валюты
                       AccumulationRegister_РасчетыСКлиентами" ;;
    *) echo "unknown configuration $CONFIGURATION: bp30, ut11 or ka2" >&2; exit 2 ;;
esac

if [ -z "${ODATA_PASSWORD+set}" ]; then
    read -r -s -p "password of $LOGIN: " ODATA_PASSWORD
    echo >&2
fi

# Percent-encodes UTF-8 bytes (Cyrillic names) and the characters a URL may
# not carry as they are; keeps the OData punctuation ($ = , ( ) /).
urlencode() {
    local LC_ALL=C text="$1" out="" char i
    for ((i = 0; i < ${#text}; i++)); do
        char="${text:i:1}"
        case "$char" in
            [A-Za-z0-9._~/\$=,\(\)-]) out+="$char" ;;
            *) printf -v char '%%%02X' "'$char"; out+="$char" ;;
        esac
    done
    printf '%s' "$out"
}

# curl's config on stdin keeps the password out of the process list.
credentials() {
    local escaped="${LOGIN//\\/\\\\}:${ODATA_PASSWORD//\\/\\\\}"
    printf 'user = "%s"\n' "${escaped//\"/\\\"}"
}

missing=0
for object in $OBJECTS; do
    case "$object" in
        *Register_*) path="$object/Balance" query='$format=json&$top=1' ;;
        *) path="$object" query='$format=json&$top=1&$select=Ref_Key' ;;
    esac
    url="$ODATA/$(urlencode "$path")?$query"
    # shellcheck disable=SC2086
    status=$(credentials | curl -sS -K - ${CURL_OPTS:-} -o /dev/null -w '%{http_code}' "$url") || status="---"
    case "$status" in
        200) meaning="published" ;;
        401) meaning="login refused: the user, the password or its encoding (a Latin login, section 7.5)" ;;
        403) meaning="NOT PUBLISHED (or no right to read it): tick it in «Настройка автоматического REST-сервиса»"
             missing=$((missing + 1)) ;;
        404) meaning="unknown here: not in this configuration, not published, or a wrong publication address"
             missing=$((missing + 1)) ;;
        503) meaning="1C is busy: the session pool or the licences" ;;
        ---) meaning="no answer: the address, the network or the certificate (CURL_OPTS=--cacert ...)" ;;
        *) meaning="unexpected answer: look at it with curl -i" ;;
    esac
    printf '%s  %s: %s\n' "$status" "$object" "$meaning"
done
[ "$missing" -eq 0 ]
