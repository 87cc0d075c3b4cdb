# A seed policy and its compiled rule set through the `yibao` executable:
#   cmake -DYIBAO=yibao -DPOLICY=policies/<region>/<year> -DWORK=dir -P rule_set_eval.cmake
# `yibao eval` gives byte-identical results for POLICY.yb and POLICY.ybc on
# the sample requests (POLICY.requests.jsonl), with --explain as well when
# the rule set keeps debug info (-g); a rule set is recognised by its magic
# number whatever its name; compiling a .ybc again gives the same bytes;
# `yibao ir` prints the same text for the source and the -g rule set; and a
# reformatted copy of the policy (a comment on top, every line break
# doubled) in another folder compiles to the same bytes.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(yibao)
  execute_process(COMMAND ${YIBAO} ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "yibao ${ARGN}\nexit status: ${status}\nstderr:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(same a b)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${a} ${b} RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    message(FATAL_ERROR "${a} and ${b} differ")
  endif()
endfunction()

set(requests ${POLICY}.requests.jsonl)
yibao(compile ${POLICY}.yb -o ${WORK}/plain.ybc)
yibao(compile ${POLICY}.yb -o ${WORK}/debug.ybc -g)
yibao(compile ${WORK}/plain.ybc -o ${WORK}/again.ybc)
same(${WORK}/plain.ybc ${WORK}/again.ybc)
file(COPY_FILE ${WORK}/plain.ybc ${WORK}/compiled.policy)

yibao(eval ${POLICY}.yb ${requests} -o ${WORK}/source.jsonl)
yibao(eval ${WORK}/plain.ybc ${requests} -o ${WORK}/plain.jsonl)
yibao(eval ${WORK}/compiled.policy ${requests} -o ${WORK}/renamed.jsonl)
file(SIZE ${WORK}/source.jsonl size)
if(size EQUAL 0)
  message(FATAL_ERROR "no results from ${POLICY}.yb")
endif()
same(${WORK}/source.jsonl ${WORK}/plain.jsonl)
same(${WORK}/source.jsonl ${WORK}/renamed.jsonl)

yibao(eval --explain ${POLICY}.yb ${requests} -o ${WORK}/source-explain.jsonl)
yibao(eval --explain ${WORK}/debug.ybc ${requests} -o ${WORK}/debug-explain.jsonl)
same(${WORK}/source-explain.jsonl ${WORK}/debug-explain.jsonl)

yibao(ir ${POLICY}.yb)
set(source_ir "${out}")
yibao(ir ${WORK}/debug.ybc)
if(NOT out STREQUAL source_ir)
  message(FATAL_ERROR "yibao ir differs between ${POLICY}.yb and its -g rule set")
endif()

get_filename_component(region_dir ${POLICY} DIRECTORY)
get_filename_component(region ${region_dir} NAME)
get_filename_component(policies ${region_dir} DIRECTORY)
get_filename_component(year ${POLICY} NAME)
file(COPY ${policies}/ DESTINATION ${WORK}/tree)
file(READ ${POLICY}.yb text)
string(REPLACE "\n" "\n\n" text "${text}")
file(WRITE ${WORK}/tree/${region}/${year}.yb "# a reformatted copy\n\n${text}")
yibao(compile ${WORK}/tree/${region}/${year}.yb -o ${WORK}/reformatted.ybc)
same(${WORK}/plain.ybc ${WORK}/reformatted.ybc)
