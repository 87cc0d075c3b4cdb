/* yibao.h: the C API of the yibao runtime, for embedders in C and for other
 * languages' foreign-function interfaces. It wraps the C++ API (yibao.hpp)
 * and shows no C++ type: handles are opaque, failures are status codes with
 * a message, nothing is printed, nothing is thrown.
 *
 * Use:
 *   yibao_rule_set* rules;
 *   if (yibao_rule_set_load_file("dianjiang-2024.ybc", YIBAO_ENGINE_INTERPRETER, &rules) != YIBAO_OK)
 *     fprintf(stderr, "%s\n", yibao_last_error());
 *   yibao_session* session;
 *   yibao_session_create(rules, 0, &session);
 *   const char* result; size_t size;
 *   yibao_session_settle(session, line, strlen(line), 1, &result, &size);  // one JSON result line
 *   ...
 *   yibao_session_free(session);
 *   yibao_rule_set_free(rules);
 *
 * Ownership: every handle made by a *_load* or *_create function is the
 * caller's, freed by the matching *_free (which accepts NULL). A rule set may
 * be freed while sessions made from it live on: they keep what they need.
 * Strings returned are owned by the library: a result or key stays valid
 * until the next call on the same session; a rule set's strings while it
 * lives; yibao_last_error() until the next failing call on the same thread.
 * Strings passed in are read during the call only. All text is UTF-8; sizes
 * are in bytes, and input lines need no terminating NUL.
 *
 * Thread safety: a rule set is immutable, and may be used by any number of
 * threads at once (to create sessions, to read its identity). A session is
 * one thread's: never call it from two threads at the same time (one thread
 * after another is fine). Each session keeps its own ledgers, so the
 * requests of one person must all go to one session, in order; spread
 * persons over threads by yibao_session_ledger_key (see examples/c).
 *
 * Money crosses this API as int64 micro-yuan (1 yuan = 1000000), exact.
 */
#ifndef YIBAO_YIBAO_H
#define YIBAO_YIBAO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct yibao_rule_set yibao_rule_set;
typedef struct yibao_session yibao_session;

typedef enum yibao_status {
  YIBAO_OK = 0,
  YIBAO_INVALID_ARGUMENT = 1, /* a NULL handle or pointer, or an option out of range */
  YIBAO_LOAD_FAILED = 2,      /* a rule set file unreadable, truncated, corrupted or of another version */
  YIBAO_LEDGER_FAILED = 3,    /* a ledger file unreadable, invalid, or not writable */
  YIBAO_UNSUPPORTED = 4,      /* asked for something this program lacks (the JIT, not installed) */
  YIBAO_NOT_FOUND = 5,        /* a result section or field that was not answered */
  YIBAO_OUT_OF_MEMORY = 6,
  YIBAO_INTERNAL = 7          /* a bug: please report it with yibao_last_error() */
} yibao_status;

/* The engine a rule set settles with. The interpreter is always there. The
 * JIT (native code through LLVM, compiled once when the rule set is loaded)
 * lives in a library of its own, yibao::jit (<yibao/yibao_jit.h>): link it
 * and call yibao_jit_install() once before loading with YIBAO_ENGINE_JIT,
 * else the load fails with YIBAO_UNSUPPORTED. Sessions with explain on
 * interpret (traces are the interpreter's); their results are the same. */
typedef enum yibao_engine {
  YIBAO_ENGINE_INTERPRETER = 0,
  YIBAO_ENGINE_JIT = 1
} yibao_engine;

/* The library's version, "0.1.0". */
const char* yibao_version(void);

/* The message of the last call on this thread that did not return YIBAO_OK
 * ("" when there was none). */
const char* yibao_last_error(void);

/* 1 when rule sets can be loaded with `engine` in this program (the JIT:
 * once yibao_jit_install() was called), else 0. */
int yibao_engine_available(yibao_engine engine);

/* ---- rule sets -------------------------------------------------------- */

/* Loads a compiled rule set (`yibao compile POLICY.yb -o POLICY.ybc`) from a
 * file, or from `size` bytes in memory (copied; the caller keeps `bytes`),
 * to settle with `engine` (YIBAO_UNSUPPORTED when it is not available). */
yibao_status yibao_rule_set_load_file(const char* path, yibao_engine engine, yibao_rule_set** out);
yibao_status yibao_rule_set_load(const void* bytes, size_t size, yibao_engine engine, yibao_rule_set** out);
void yibao_rule_set_free(yibao_rule_set* rule_set);

/* The policy's identifier ("dianjiang-2024") and benefit year. */
const char* yibao_rule_set_policy_id(const yibao_rule_set* rule_set);
int32_t yibao_rule_set_year(const yibao_rule_set* rule_set);

/* ---- sessions --------------------------------------------------------- */

/* A session with its own, empty ledgers. With `explain` nonzero, result
 * lines carry the rules computed ("explain"). */
yibao_status yibao_session_create(const yibao_rule_set* rule_set, int explain, yibao_session** out);
void yibao_session_free(yibao_session* session);

/* Settles one JSON request line (interchange.md) and gives its JSON result
 * line, '\n' included: exactly what `yibao eval` writes for it. A bad request
 * is answered (`"error": {"code": "bad_input", ...}`), not failed;
 * `line_number` is the one such messages name. */
yibao_status yibao_session_settle(yibao_session* session, const char* line, size_t size, uint64_t line_number,
                                  const char** result, size_t* result_size);

/* The ledger key (person.id) of a request line: *found is 1 and *key, *key_size
 * give it, or *found is 0 when the line names none or is unreadable (such a
 * line touches no ledger). */
yibao_status yibao_session_ledger_key(yibao_session* session, const char* line, size_t size, int* found,
                                      const char** key, size_t* key_size);

/* Ledgers (per person and benefit year): load the file an earlier run saved
 * (all or nothing), save them (through a temporary file), count them. */
yibao_status yibao_session_load_ledgers(yibao_session* session, const char* path);
yibao_status yibao_session_save_ledgers(const yibao_session* session, const char* path);
size_t yibao_session_ledger_count(const yibao_session* session);

/* ---- results as values ------------------------------------------------ */

/* Evaluates one JSON request line like yibao_session_settle, keeping the
 * result as values to read with the functions below (until the next call on
 * the session). *refused is 1 when the request was refused (bad_input). */
yibao_status yibao_session_evaluate(yibao_session* session, const char* line, size_t size, uint64_t line_number,
                                    int* refused);
/* The bad_input message of a refused request ("line 3: claim.total: ..."). */
const char* yibao_result_message(const yibao_session* session);
/* The reason code of a section ("before_coverage"), or NULL when the section
 * was assessed, absent, or failed. */
const char* yibao_result_reason(const yibao_session* session, const char* section);
/* A money field of a section ("settlement", "basic") in micro-yuan;
 * YIBAO_NOT_FOUND when that field was not answered. */
yibao_status yibao_result_money(const yibao_session* session, const char* section, const char* field,
                                int64_t* micro_yuan);

#ifdef __cplusplus
}
#endif

#endif /* YIBAO_YIBAO_H */
