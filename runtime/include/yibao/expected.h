// expected.h: a value or an error message, returned instead of thrown.
//
// The runtime never lets an exception escape and never prints, so functions
// that can fail for reasons outside the programmer's control (bad input, I/O)
// return `Expected<T>` (a value or a message for people) or `Status` (nothing
// or a message). C++20 has no std::expected, hence this small type; its
// interface follows std::expected's names so that a later switch is easy.
//
// Messages follow the project style: lowercase, no trailing period, say what
// was seen and what was expected.
//
// Thread safety: plain values, like std::optional.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace yibao {

// The failing side of an Expected or Status; a distinct type so that
// Expected<std::string> stays unambiguous.
struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Expected(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // Precondition: has_value().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !has_value().
  const std::string& error() const { return std::get<1>(state_).message; }

 private:
  std::variant<T, Error> state_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // success
  Status(Error error) : failed_(true), message_(std::move(error.message)) {}  // NOLINT

  static Status success() { return Status(); }

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  // Empty on success.
  const std::string& error() const noexcept { return message_; }

 private:
  bool failed_ = false;
  std::string message_;
};

}  // namespace yibao
