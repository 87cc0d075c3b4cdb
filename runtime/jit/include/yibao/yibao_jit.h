/* yibao_jit.h: the LLVM JIT for the C API (yibao.h). Link yibao::jit and
 * call yibao_jit_install() once, before loading a rule set with
 * YIBAO_ENGINE_JIT; then every session of that rule set settles with
 * native code compiled when the rule set was loaded.
 *
 * Why a call: the libraries are static by default, and a linker leaves out
 * what nothing calls; this call is what links the JIT in. Calling it again,
 * from any thread, does no harm. */
#ifndef YIBAO_YIBAO_JIT_H
#define YIBAO_YIBAO_JIT_H

#ifdef __cplusplus
extern "C" {
#endif

void yibao_jit_install(void);

#ifdef __cplusplus
}
#endif

#endif /* YIBAO_YIBAO_JIT_H */
