// The message for each grammar rule that is required (used under `must<>`).
// The parser's control class (lang/parser.cpp) raises them, and refuses to
// compile a `must<R>` whose R has no message here; `errors` below is the same
// table in the form PEGTL's must_if<> takes, for tools that run the grammar
// with PEGTL's own parse_error.
//
// Messages say what was expected, in the words of the language reference;
// the parser appends ", found X" with the text it found instead (except for
// the few it handles itself: see `kSpecialMessages` in parser.cpp). Style:
// lower case, no final period, code in backticks (lang/diagnostic_codes.def).
#pragma once

#include <tao/pegtl/must_if.hpp>

#include "lang/grammar.h"

namespace yibao::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

#define YIBAO_GRAMMAR_ERROR(rule, text) \
  template <>                           \
  inline constexpr const char* error_message<rule> = text;

// Reported by the parser with their own code, span or wording.
YIBAO_GRAMMAR_ERROR(too_deep, "nesting too deep")
YIBAO_GRAMMAR_ERROR(string_terminated, "unterminated string")
YIBAO_GRAMMAR_ERROR(escape_char, "unknown escape in a string")
YIBAO_GRAMMAR_ERROR(date_shape, "expected a date written `YYYY-MM-DD`")

// Lexical.
YIBAO_GRAMMAR_ERROR(path_field, "expected a name after `.`")

// Expressions.
YIBAO_GRAMMAR_ERROR(paren_inner, "expected an expression after `(`")
YIBAO_GRAMMAR_ERROR(paren_close, "expected `)` to close the parenthesis")
YIBAO_GRAMMAR_ERROR(set_close, "expected `,` or `}` in the set")
YIBAO_GRAMMAR_ERROR(first_segment, "expected a bracket segment such as `0 to 10000: 60%` or `above 100000: 80%`")
YIBAO_GRAMMAR_ERROR(segment_to, "expected `to` after the lower bound of the segment, as in `0 to 10000: 60%`")
YIBAO_GRAMMAR_ERROR(segment_hi, "expected the upper bound of the segment after `to`")
YIBAO_GRAMMAR_ERROR(segment_lo_above, "expected a number after `above`")
YIBAO_GRAMMAR_ERROR(segment_colon, "expected `:` and a rate after the bounds of the segment")
YIBAO_GRAMMAR_ERROR(segment_rate, "expected the rate of the segment after `:`")
YIBAO_GRAMMAR_ERROR(brackets_close, "expected another segment (`a to b: rate` or `above a: rate`) or `}`")
YIBAO_GRAMMAR_ERROR(call_close, "expected `,` or `)` after the argument")
YIBAO_GRAMMAR_ERROR(index_keys, "expected a key inside `[ ]`")
YIBAO_GRAMMAR_ERROR(index_close, "expected `,` or `]` after the key")
YIBAO_GRAMMAR_ERROR(match_subject, "expected the value to match after `match`")
YIBAO_GRAMMAR_ERROR(match_open, "expected `{` and the cases of `match`")
YIBAO_GRAMMAR_ERROR(arm_colon, "expected `:` after the keys of the case")
YIBAO_GRAMMAR_ERROR(arm_value, "expected the value of the case after `:`")
YIBAO_GRAMMAR_ERROR(match_close, "expected a case `key: value`, `else: value` or `}`")
YIBAO_GRAMMAR_ERROR(adjust_base, "expected the rate or schedule to adjust after `adjust`")
YIBAO_GRAMMAR_ERROR(adjust_open, "expected `{` and the adjustments")
YIBAO_GRAMMAR_ERROR(override_value, "expected the overriding rate after `override`")
YIBAO_GRAMMAR_ERROR(adjust_when, "expected `when` and a condition after the adjustment")
YIBAO_GRAMMAR_ERROR(adjust_condition, "expected a condition after `when`")
YIBAO_GRAMMAR_ERROR(adjust_close, "expected an adjustment `[override] value when condition` or `}`")
YIBAO_GRAMMAR_ERROR(mul_rhs, "expected a value after `*`")
YIBAO_GRAMMAR_ERROR(add_rhs, "expected a value after the `+` or `-`")
YIBAO_GRAMMAR_ERROR(compare_rhs, "expected a value after the comparison")
YIBAO_GRAMMAR_ERROR(in_rhs, "expected a set or a range after `in`")
YIBAO_GRAMMAR_ERROR(range_hi, "expected the end of the range after `..`")
YIBAO_GRAMMAR_ERROR(has_rhs, "expected a member, or `any` and a set, after `has`")
YIBAO_GRAMMAR_ERROR(no_chained_comparison, "comparisons do not chain: write `a < b and b < c`")
YIBAO_GRAMMAR_ERROR(and_rhs, "expected a condition after `and`")
YIBAO_GRAMMAR_ERROR(or_rhs, "expected a condition after `or`")
YIBAO_GRAMMAR_ERROR(if_condition, "expected a condition after `if`")
YIBAO_GRAMMAR_ERROR(if_then, "expected `then` after the condition of `if`")
YIBAO_GRAMMAR_ERROR(if_then_value, "expected a value after `then`")
YIBAO_GRAMMAR_ERROR(if_else, "expected `else` after the value of `then` (every `if` has an `else`)")
YIBAO_GRAMMAR_ERROR(if_else_value, "expected a value after `else`")
YIBAO_GRAMMAR_ERROR(highest_var, "expected a name after `highest`, as in `highest c in person.categories: ...`")
YIBAO_GRAMMAR_ERROR(highest_in, "expected `in` after the name in `highest`")
YIBAO_GRAMMAR_ERROR(highest_set, "expected a set after `in`")
YIBAO_GRAMMAR_ERROR(highest_colon, "expected `:` after the set in `highest`")
YIBAO_GRAMMAR_ERROR(highest_body, "expected a value after `:`")
YIBAO_GRAMMAR_ERROR(highest_else, "expected `else` and the value for an empty set after `highest`")
YIBAO_GRAMMAR_ERROR(highest_fallback, "expected a value after `else`")

// Types.
YIBAO_GRAMMAR_ERROR(type_element, "expected the name of an enumeration after `set of`")

// Header.
YIBAO_GRAMMAR_ERROR(header, "expected `policy`, `module` or `examples for` at the start of the file")
YIBAO_GRAMMAR_ERROR(policy_name, "expected a policy identifier such as `liaoyuan-2023` after `policy`")
YIBAO_GRAMMAR_ERROR(policy_title, "expected the title of the policy in quotes after its identifier")
YIBAO_GRAMMAR_ERROR(header_open, "expected `{` and the header fields (`region`, `year`, `source`, `extends`)")
YIBAO_GRAMMAR_ERROR(header_string, "expected a string in quotes")
YIBAO_GRAMMAR_ERROR(header_year_number, "expected a year after `year`")
YIBAO_GRAMMAR_ERROR(header_policy, "expected a policy identifier such as `hunan-2024` after `extends`")
YIBAO_GRAMMAR_ERROR(header_close, "expected a header field (`region`, `year`, `source`, `extends`) or `}`")
YIBAO_GRAMMAR_ERROR(module_name, "expected a module name such as `std.resident` after `module`")
YIBAO_GRAMMAR_ERROR(examples_for, "expected `for` after `examples`")
YIBAO_GRAMMAR_ERROR(examples_policy, "expected a policy identifier such as `liaoyuan-2023` after `examples for`")

// Items.
YIBAO_GRAMMAR_ERROR(item, "expected a declaration (`param`, `rule`, `fn`, `enum`, `section`, ...)")
YIBAO_GRAMMAR_ERROR(use_target,
                    "expected a module name such as `std.resident` or a policy identifier such as `national-2024` "
                    "after `use`")
YIBAO_GRAMMAR_ERROR(use_as, "expected `as` and a name after the policy identifier, as in `use national-2024 as national`")
YIBAO_GRAMMAR_ERROR(use_alias, "expected a name after `as`")
YIBAO_GRAMMAR_ERROR(enum_name, "expected the name of the enumeration after `enum`")
YIBAO_GRAMMAR_ERROR(enum_open, "expected `{` and the members of the enumeration")
YIBAO_GRAMMAR_ERROR(enum_close, "expected a member name (optionally followed by its label in quotes) or `}`")
YIBAO_GRAMMAR_ERROR(domain_name, "expected the name of the domain after `domain`")
YIBAO_GRAMMAR_ERROR(domain_lo, "expected the range of the domain, as in `domain level 1..3`")
YIBAO_GRAMMAR_ERROR(domain_dots, "expected `..` between the bounds of the domain")
YIBAO_GRAMMAR_ERROR(domain_hi, "expected the upper bound of the domain after `..`")
YIBAO_GRAMMAR_ERROR(input_open, "expected `{` after `input`")
YIBAO_GRAMMAR_ERROR(input_close, "expected a field `name: type`, a record `name { ... }`, `check`, `ledger key` or `}`")
YIBAO_GRAMMAR_ERROR(record_close, "expected a field `name: type`, a record `name { ... }`, `check` or `}`")
YIBAO_GRAMMAR_ERROR(field_type, "expected a type after `:`, such as `money`, `date?` or `set of category`")
YIBAO_GRAMMAR_ERROR(field_default_value, "expected a default value after `=`")
YIBAO_GRAMMAR_ERROR(check_condition, "expected a condition after `check`")
YIBAO_GRAMMAR_ERROR(check_else, "expected `else` and the field to blame after the condition of `check`")
YIBAO_GRAMMAR_ERROR(check_field, "expected the field to blame after `else`, as in `else claim.total: \"...\"`")
YIBAO_GRAMMAR_ERROR(check_colon, "expected `:` and the message after the field of `check`")
YIBAO_GRAMMAR_ERROR(check_message, "expected the message of `check` in quotes")
YIBAO_GRAMMAR_ERROR(ledger_key_path, "expected the field that keys the ledgers after `ledger key`, such as `person.id`")
YIBAO_GRAMMAR_ERROR(table_key_required, "expected the key of the table (an enumeration or a domain)")
YIBAO_GRAMMAR_ERROR(key_hi, "expected the upper bound of the key range after `..`")
YIBAO_GRAMMAR_ERROR(table_open, "expected `{` and the rows of the table after its keys")
YIBAO_GRAMMAR_ERROR(row_colon, "expected `:` and the values after the keys of the row")
YIBAO_GRAMMAR_ERROR(row_values, "expected the values of the row after `:`")
YIBAO_GRAMMAR_ERROR(row_value, "expected a value after `,`")
YIBAO_GRAMMAR_ERROR(table_close, "expected a row `key: value`, `else: value` or `}`")
YIBAO_GRAMMAR_ERROR(decl_name, "expected the name of the declaration")
YIBAO_GRAMMAR_ERROR(decl_colon, "expected `:` and a type after the name")
YIBAO_GRAMMAR_ERROR(decl_type, "expected a type after `:`, such as `money`, `rate` or `level`")
YIBAO_GRAMMAR_ERROR(decl_value, "expected a value after `=`")
YIBAO_GRAMMAR_ERROR(decl_brackets, "expected a bracket schedule in `{ }`")
YIBAO_GRAMMAR_ERROR(fn_name, "expected the name of the function after `fn`")
YIBAO_GRAMMAR_ERROR(fn_open, "expected `(` and the parameters after the name of the function")
YIBAO_GRAMMAR_ERROR(fn_param_colon, "expected `:` and a type after the parameter name")
YIBAO_GRAMMAR_ERROR(fn_param_type, "expected the type of the parameter after `:`")
YIBAO_GRAMMAR_ERROR(fn_param_next, "expected a parameter `name: type` after `,`")
YIBAO_GRAMMAR_ERROR(fn_close, "expected `,` or `)` after the parameter")
YIBAO_GRAMMAR_ERROR(fn_colon, "expected `:` and the result type after the parameters")
YIBAO_GRAMMAR_ERROR(fn_result, "expected the result type after `:`")
YIBAO_GRAMMAR_ERROR(fn_body, "expected the body of the function after `=`")
YIBAO_GRAMMAR_ERROR(default_item, "expected `param`, `fact`, `rule`, `payout` or `fn` after `default`")
YIBAO_GRAMMAR_ERROR(override_item, "expected `param`, `fact`, `rule`, `payout` or `fn` after `override`")
YIBAO_GRAMMAR_ERROR(ledger_name, "expected the name of the ledger after `ledger`")
YIBAO_GRAMMAR_ERROR(ledger_colon, "expected `:` and the type after the name of the ledger")
YIBAO_GRAMMAR_ERROR(ledger_type, "expected the type of the ledger (`money`) after `:`")
YIBAO_GRAMMAR_ERROR(section_name, "expected the name of the section after `section`")
YIBAO_GRAMMAR_ERROR(section_condition, "expected a condition after `when`")
YIBAO_GRAMMAR_ERROR(section_open, "expected `{` and the reasons and fields of the section")
YIBAO_GRAMMAR_ERROR(reason_name, "expected the name of the reason after `reason`")
YIBAO_GRAMMAR_ERROR(reason_when, "expected `when` and a condition after the reason")
YIBAO_GRAMMAR_ERROR(reason_condition, "expected a condition after `when`")
YIBAO_GRAMMAR_ERROR(field_equals, "expected `=` and a value after the field name")
YIBAO_GRAMMAR_ERROR(field_value, "expected the value of the field after `=`")
YIBAO_GRAMMAR_ERROR(otherwise_value, "expected a value after `otherwise`")
YIBAO_GRAMMAR_ERROR(field_condition, "expected a condition after `when`")
YIBAO_GRAMMAR_ERROR(section_close, "expected `reason name when condition`, a field `name = value` or `}`")
YIBAO_GRAMMAR_ERROR(after_name, "expected the stage after `after`, as in `after settlement`")
YIBAO_GRAMMAR_ERROR(after_open, "expected `{` and the ledger updates")
YIBAO_GRAMMAR_ERROR(after_key_value, "expected the key of the ledger inside `[ ]`")
YIBAO_GRAMMAR_ERROR(after_key_close, "expected `]` after the key of the ledger")
YIBAO_GRAMMAR_ERROR(after_plus_equals, "expected `+=` and an amount after the ledger name")
YIBAO_GRAMMAR_ERROR(after_value, "expected the amount to add after `+=`")
YIBAO_GRAMMAR_ERROR(after_condition, "expected a condition after `when`")
YIBAO_GRAMMAR_ERROR(after_close, "expected a ledger update `ledger += amount` or `}`")
YIBAO_GRAMMAR_ERROR(example_name, "expected the name of the example in quotes after `example`")
YIBAO_GRAMMAR_ERROR(example_open, "expected `{` and the contents of the example")
YIBAO_GRAMMAR_ERROR(set_equals, "expected `=` and a value after the field")
YIBAO_GRAMMAR_ERROR(set_value, "expected a value after `=`")
YIBAO_GRAMMAR_ERROR(expect_path, "expected a result field after `expect`, such as `settlement.basic`")
YIBAO_GRAMMAR_ERROR(request_name, "expected the name of the request in quotes after `request`")
YIBAO_GRAMMAR_ERROR(request_open, "expected `{` and the contents of the request")
YIBAO_GRAMMAR_ERROR(request_close, "expected a field `path = value`, `expect path = value` or `}`")
YIBAO_GRAMMAR_ERROR(example_close,
                    "expected a field `path = value`, `expect path = value`, `request \"name\" { ... }` or `}`")

#undef YIBAO_GRAMMAR_ERROR

struct errors {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
};

// A control that raises the messages above as tao::pegtl::parse_error.
template <typename Rule>
using control = tao::pegtl::must_if<errors>::control<Rule>;

}  // namespace yibao::grammar
