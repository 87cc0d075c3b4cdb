// The C API (yibao.h) over the C++ one: handles own C++ objects, every
// entry point turns failures (exceptions included) into a status and a
// thread-local message.
#include "yibao/yibao.h"

#include <exception>
#include <new>
#include <string>

#include "yibao/engine_provider.h"
#include "yibao/yibao.hpp"

struct yibao_rule_set {
  std::shared_ptr<const yibao::RuleSet> rule_set;
};

struct yibao_session {
  yibao::Session session;
  std::string result;
  const yibao::Outcome* outcome = nullptr;
};

namespace {

thread_local std::string last_error;

yibao_status fail(yibao_status status, std::string message) {
  last_error = std::move(message);
  return status;
}

// Runs `body`, turning an escaping exception into a status.
template <class Body>
yibao_status guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(YIBAO_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(YIBAO_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(YIBAO_INTERNAL, "internal error");
  }
}

yibao_status load(yibao::Expected<std::shared_ptr<const yibao::RuleSet>> loaded, yibao_rule_set** out) {
  if (!loaded) return fail(YIBAO_LOAD_FAILED, loaded.error());
  *out = new yibao_rule_set{std::move(*loaded)};
  return YIBAO_OK;
}

bool known(yibao_engine engine) { return engine == YIBAO_ENGINE_INTERPRETER || engine == YIBAO_ENGINE_JIT; }

yibao::EngineKind kind_of(yibao_engine engine) {
  return engine == YIBAO_ENGINE_JIT ? yibao::EngineKind::jit : yibao::EngineKind::interpreter;
}

// Before loading: an engine this program lacks is YIBAO_UNSUPPORTED,
// distinct from a file that cannot be loaded (YIBAO_LOAD_FAILED).
yibao_status check_engine(const char* function, yibao_engine engine) {
  if (!known(engine)) return fail(YIBAO_INVALID_ARGUMENT, std::string(function) + ": no such engine");
  if (!yibao_engine_available(engine))
    return fail(YIBAO_UNSUPPORTED, "the JIT engine is not installed: link yibao::jit and call yibao_jit_install() "
                                   "before loading with YIBAO_ENGINE_JIT, or use YIBAO_ENGINE_INTERPRETER");
  return YIBAO_OK;
}

yibao::RuleSetOptions options_for(yibao_engine engine) {
  yibao::RuleSetOptions options;
  options.engine = kind_of(engine);
  return options;
}

}  // namespace

namespace yibao {

yibao_rule_set* c_handle(std::shared_ptr<const RuleSet> rule_set) {
  if (!rule_set) return nullptr;
  return new (std::nothrow) yibao_rule_set{std::move(rule_set)};
}

}  // namespace yibao

extern "C" {

const char* yibao_version(void) { return yibao::kVersion; }

const char* yibao_last_error(void) { return last_error.c_str(); }

int yibao_engine_available(yibao_engine engine) {
  if (engine == YIBAO_ENGINE_INTERPRETER) return 1;
  return engine == YIBAO_ENGINE_JIT && yibao::engine_provider(yibao::EngineKind::jit) != nullptr ? 1 : 0;
}

yibao_status yibao_rule_set_load_file(const char* path, yibao_engine engine, yibao_rule_set** out) {
  if (path == nullptr || out == nullptr) return fail(YIBAO_INVALID_ARGUMENT, "yibao_rule_set_load_file: a NULL argument");
  *out = nullptr;
  return guarded([&] {
    if (const yibao_status s = check_engine("yibao_rule_set_load_file", engine); s != YIBAO_OK) return s;
    return load(yibao::RuleSet::load_file(path, options_for(engine)), out);
  });
}

yibao_status yibao_rule_set_load(const void* bytes, size_t size, yibao_engine engine, yibao_rule_set** out) {
  if ((bytes == nullptr && size > 0) || out == nullptr)
    return fail(YIBAO_INVALID_ARGUMENT, "yibao_rule_set_load: a NULL argument");
  *out = nullptr;
  return guarded([&] {
    if (const yibao_status s = check_engine("yibao_rule_set_load", engine); s != YIBAO_OK) return s;
    const std::span<const std::uint8_t> span(static_cast<const std::uint8_t*>(bytes), size);
    return load(yibao::RuleSet::load(span, options_for(engine)), out);
  });
}

void yibao_rule_set_free(yibao_rule_set* rule_set) { delete rule_set; }

const char* yibao_rule_set_policy_id(const yibao_rule_set* rule_set) {
  return rule_set == nullptr ? "" : rule_set->rule_set->policy_id().c_str();
}

int32_t yibao_rule_set_year(const yibao_rule_set* rule_set) {
  return rule_set == nullptr ? 0 : rule_set->rule_set->year();
}

yibao_status yibao_session_create(const yibao_rule_set* rule_set, int explain, yibao_session** out) {
  if (rule_set == nullptr || out == nullptr) return fail(YIBAO_INVALID_ARGUMENT, "yibao_session_create: a NULL argument");
  *out = nullptr;
  return guarded([&] {
    yibao::SessionOptions options;
    options.explain = explain != 0;
    auto session = yibao::Session::create(rule_set->rule_set, options);
    if (!session) return fail(YIBAO_LOAD_FAILED, session.error());
    *out = new yibao_session{std::move(*session), {}, nullptr};
    return YIBAO_OK;
  });
}

void yibao_session_free(yibao_session* session) { delete session; }

yibao_status yibao_session_settle(yibao_session* session, const char* line, size_t size, uint64_t line_number,
                                  const char** result, size_t* result_size) {
  if (session == nullptr || (line == nullptr && size > 0) || result == nullptr || result_size == nullptr)
    return fail(YIBAO_INVALID_ARGUMENT, "yibao_session_settle: a NULL argument");
  return guarded([&] {
    session->result.clear();
    session->session.settle(std::string_view(line == nullptr ? "" : line, size), line_number, session->result);
    *result = session->result.c_str();
    *result_size = session->result.size();
    return YIBAO_OK;
  });
}

yibao_status yibao_session_ledger_key(yibao_session* session, const char* line, size_t size, int* found,
                                      const char** key, size_t* key_size) {
  if (session == nullptr || (line == nullptr && size > 0) || found == nullptr || key == nullptr || key_size == nullptr)
    return fail(YIBAO_INVALID_ARGUMENT, "yibao_session_ledger_key: a NULL argument");
  return guarded([&] {
    const auto k = session->session.ledger_key(std::string_view(line == nullptr ? "" : line, size));
    *found = k ? 1 : 0;
    *key = k ? k->data() : "";
    *key_size = k ? k->size() : 0;
    return YIBAO_OK;
  });
}

yibao_status yibao_session_load_ledgers(yibao_session* session, const char* path) {
  if (session == nullptr || path == nullptr) return fail(YIBAO_INVALID_ARGUMENT, "yibao_session_load_ledgers: a NULL argument");
  return guarded([&] {
    const yibao::Status s = session->session.ledgers().load_file(path);
    return s ? YIBAO_OK : fail(YIBAO_LEDGER_FAILED, std::string(path) + ": " + s.error());
  });
}

yibao_status yibao_session_save_ledgers(const yibao_session* session, const char* path) {
  if (session == nullptr || path == nullptr) return fail(YIBAO_INVALID_ARGUMENT, "yibao_session_save_ledgers: a NULL argument");
  return guarded([&] {
    const yibao::Status s = const_cast<yibao_session*>(session)->session.ledgers().save_file(path);
    return s ? YIBAO_OK : fail(YIBAO_LEDGER_FAILED, std::string(path) + ": " + s.error());
  });
}

size_t yibao_session_ledger_count(const yibao_session* session) {
  return session == nullptr ? 0 : const_cast<yibao_session*>(session)->session.ledgers().size();
}

yibao_status yibao_session_evaluate(yibao_session* session, const char* line, size_t size, uint64_t line_number,
                                    int* refused) {
  if (session == nullptr || (line == nullptr && size > 0) || refused == nullptr)
    return fail(YIBAO_INVALID_ARGUMENT, "yibao_session_evaluate: a NULL argument");
  return guarded([&] {
    session->outcome = &session->session.evaluate(std::string_view(line == nullptr ? "" : line, size), line_number);
    *refused = session->outcome->refused ? 1 : 0;
    return YIBAO_OK;
  });
}

const char* yibao_result_message(const yibao_session* session) {
  if (session == nullptr || session->outcome == nullptr || !session->outcome->refused) return "";
  return session->outcome->message.data();  // a whole std::string's text: NUL-terminated
}

const char* yibao_result_reason(const yibao_session* session, const char* section) {
  if (session == nullptr || section == nullptr || session->outcome == nullptr) return nullptr;
  const yibao::SectionResult* s = session->outcome->section(section);
  if (s == nullptr || s->kind != yibao::SectionResult::Kind::reason) return nullptr;
  return s->reason.data();  // an enumeration member, a whole std::string: NUL-terminated
}

yibao_status yibao_result_money(const yibao_session* session, const char* section, const char* field,
                                int64_t* micro_yuan) {
  if (session == nullptr || section == nullptr || field == nullptr || micro_yuan == nullptr)
    return fail(YIBAO_INVALID_ARGUMENT, "yibao_result_money: a NULL argument");
  if (session->outcome == nullptr) return fail(YIBAO_NOT_FOUND, "no request evaluated yet");
  const auto money = session->outcome->money(section, field);
  if (!money) return fail(YIBAO_NOT_FOUND, std::string(section) + "." + field + " was not answered");
  *micro_yuan = *money;
  return YIBAO_OK;
}

}  // extern "C"
