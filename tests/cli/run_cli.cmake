# Runs ${YIBAO} with ${ARGS} ("|"-separated) and checks the exit status
# against ${STATUS} and stdout/stderr against the regexes ${STDOUT}/${STDERR}.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${YIBAO} ${args} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(report "yibao ${args}\nexit status: ${status}\nstdout:\n${out}\nstderr:\n${err}")
if(NOT status EQUAL STATUS)
  message(FATAL_ERROR "expected exit status ${STATUS}\n${report}")
endif()
if(DEFINED STDOUT AND NOT STDOUT STREQUAL "" AND NOT out MATCHES "${STDOUT}")
  message(FATAL_ERROR "stdout does not match: ${STDOUT}\n${report}")
endif()
if(DEFINED STDERR AND NOT STDERR STREQUAL "" AND NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "stderr does not match: ${STDERR}\n${report}")
endif()
