# `yibao diff` and `yibao test --coverage` (included by CMakeLists.txt here).
# Exit statuses of diff follow diff(1): 0 same, 1 different, 2 trouble.
set(DIFF_CASES ${PROJECT_SOURCE_DIR}/tests/golden/diff)
set(NATIONAL ${PROJECT_SOURCE_DIR}/policies/national)

yibao_cli_test(diff_same 0 ARGS diff ${DIFF_CASES}/same/old.yb ${DIFF_CASES}/same/new.yb
  STDOUT "\n\nno differences\n$")
yibao_cli_test(diff_national 1 ARGS diff ${NATIONAL}/2023.yb ${NATIONAL}/2024.yb
  STDOUT "^national-2023 → national-2024\n.*\nparams: [^\n]*\n.*  ~ standard +380.00 → 400.00 +[^\n]*/policies/national/2023.yb:15 / [^\n]*/policies/national/2024.yb:16\n")
yibao_cli_test(diff_city_against_province 1 ARGS diff ${PROJECT_SOURCE_DIR}/policies/hunan/2024.yb
  ${PROJECT_SOURCE_DIR}/policies/changsha/2024.yb STDOUT "\nledgers: 1 added\n  \\+ total_paid 基本医保与大病保险年度累计支付")
yibao_cli_test(diff_json 1 ARGS diff --format json ${NATIONAL}/2023.yb ${NATIONAL}/2024.yb
  STDOUT "^{\"format\": \"yibao-diff/1\",\n.*\"same\": false,\n \"changes\": \\[\n  {\"group\": \"policy\"")
yibao_cli_test(diff_json_same 0 ARGS diff --format json ${DIFF_CASES}/same/old.yb ${DIFF_CASES}/same/new.yb
  STDOUT "\"same\": true,\n \"changes\": \\[\\]\n}\n$")
yibao_cli_test(diff_requests 1 ARGS diff ${DIFF_CASES}/impact/old.yb ${DIFF_CASES}/impact/new.yb
  --requests ${DIFF_CASES}/impact/requests.jsonl
  STDOUT "\nimpact on 7 requests \\([^)]*\\): 6 results change\n  changed: q-1, q-2, q-3, q-4, q-5, q-7\n.*settlement.basic +5 +4 +\\+890.00 +\\+178.00")
yibao_cli_test(diff_requests_json 1 ARGS diff --format json ${DIFF_CASES}/impact/old.yb ${DIFF_CASES}/impact/new.yb
  --requests ${DIFF_CASES}/impact/requests.jsonl STDOUT "\"impact\": {\"requests_file\": [^\n]*\"requests\": 7, \"changed\": 6")
yibao_cli_test(diff_missing_policy 2 ARGS diff ${NATIONAL}/2023.yb missing.yb STDERR "cannot read `missing.yb`")
yibao_cli_test(diff_missing_requests 2 ARGS diff ${NATIONAL}/2023.yb ${NATIONAL}/2024.yb --requests missing.jsonl
  STDERR "^error: cannot read `missing.jsonl`\n$")
yibao_cli_test(diff_needs_two_policies 2 ARGS diff ${NATIONAL}/2023.yb STDERR "NEW is required")
yibao_cli_test(diff_bad_format 2 ARGS diff --format xml ${NATIONAL}/2023.yb ${NATIONAL}/2024.yb STDERR "--format: xml not in")

yibao_cli_test(test_coverage 0 ARGS test --coverage ${PROJECT_SOURCE_DIR}/policies/liaoyuan/2023.yb
  STDOUT "liaoyuan-2023: [0-9]+ passed, 0 failed\nliaoyuan-2023: rules [0-9]+/[0-9]+ covered \\([0-9.]+%\\), table cells [0-9]+/[0-9]+ covered")
yibao_cli_test(test_coverage_json 0 ARGS test --coverage --format json ${PROJECT_SOURCE_DIR}/policies/national/2024.yb
  STDOUT "^{\"policy\": \"national-2024\", \"passed\": [0-9]+, \"failed\": 0, \"coverage\": {\"policy\": \"national-2024\", \"requests\": [0-9]+, \"rules\": [0-9]+,[^\n]*}}\n$"
  STDERR "total: [0-9]+ passed, 0 failed\n")
