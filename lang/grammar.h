// The yibao grammar, as PEGTL 3.x rules: text -> parse tree (lang/parser.cpp
// turns the parse tree into the AST of lang/ast.h). The language reference is
// docs/language.md; its "Grammar summary" is this file in short.
//
// Conventions:
//   - Every token skips the whitespace and `#` comments *before* it (`sep`),
//     so a rule starts where the previous token ended, and a failing `must<>`
//     leaves the input at (or just before) the token that did not fit.
//   - Keywords are whole words (`param` does not start `parameter`). Only the
//     expression and declaration words (`reserved`) are reserved; `reason`,
//     `from`, `to`, `date`, `policy`, `check`, `key`, ... remain usable as
//     names where they make sense.
//   - `must<>` follows each keyword and opener: once `param` is seen, the rest
//     of a declaration is required. Each rule used under `must<>` has its own
//     message in lang/grammar_errors.h (a static_assert checks this), which is
//     why many rules are small distinct structs (`decl_colon`, `fn_colon`, ...)
//     with the same definition.
//   - The rules that make parse-tree nodes are listed in YIBAO_PARSE_NODES in
//     lang/parser.cpp; the others are transparent. Lookaheads (at<>,
//     not_at<>) use only rules that make no node, since the control hooks
//     that build the tree run inside lookaheads too: `date_form`, `digits`,
//     `word`, never `number`, `name` or `date_lit`.
//   - Some inputs need a lookahead to tell two forms apart: a brackets
//     literal from a set (`{ 0 to`), a row's keys from a value after a comma
//     in a table (`1: a, b, 2: c` is rows `1: a` and `b, 2: c`), a bare
//     `unspecified` from one with a name (the name must be followed by the
//     words). Lookaheads are bounded, so parsing stays linear.
//
// Three custom rules keep state in a `ParseState` (the first parse state):
//   `nested<R>`           counts nesting and stops at `ParseState::max_depth`
//   `adjust_context<B,R>` whether R is an adjust condition (see below)
//   `binary_line_guard`   inside an adjust condition, a `+` or `-` that starts
//                         a line is not a binary operator
//
// The last point resolves the one place where juxtaposed lines are
// ambiguous: in
//     adjust r {
//       override 20% when claim.remote == self
//       -10 points when claim.remote == longterm
//     }
// the `-10 points` must start the next adjustment, not subtract from `self`.
// Inside the parentheses, brackets and braces of a condition the rule is off.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <vector>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace yibao::grammar {

using namespace tao::pegtl;  // NOLINT(google-build-using-namespace): rules read like the grammar

// ------------------------------------------------------------- parse state

struct ParseState {
  uint32_t depth = 0;
  uint32_t max_depth = 200;
  // One entry per open context: true for an adjust condition, false for a
  // parenthesis, brackets or braces opened inside one.
  std::vector<bool> contexts;
};

// Raised (never matched) when nesting exceeds ParseState::max_depth.
struct too_deep : failure {};

// `Rule`, one nesting level deeper; raises `too_deep` past the limit.
template <typename Rule>
struct nested {
  using rule_t = nested;
  using subs_t = type_list<Rule>;

  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, ParseState& state, States&&... st) {
    if (state.depth >= state.max_depth) {
      Control<too_deep>::raise(static_cast<const ParseInput&>(in), state, st...);
    }
    ++state.depth;
    struct Leave {
      ParseState& s;
      ~Leave() { --s.depth; }
    } leave{state};
    return Control<Rule>::template match<A, M, Action, Control>(in, state, st...);
  }
};

// `Rule` in a context where a binary `+`/`-` at the start of a line ends the
// expression (AdjustCondition) or does not (a bracketed sub-expression).
template <bool AdjustCondition, typename Rule>
struct adjust_context {
  using rule_t = adjust_context;
  using subs_t = type_list<Rule>;

  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, ParseState& state, States&&... st) {
    state.contexts.push_back(AdjustCondition);
    struct Leave {
      ParseState& s;
      ~Leave() { s.contexts.pop_back(); }
    } leave{state};
    return Control<Rule>::template match<A, M, Action, Control>(in, state, st...);
  }
};

// Consumes nothing. Fails when the innermost context is an adjust condition
// and the input is at the first non-blank character of a line.
struct binary_line_guard {
  using rule_t = binary_line_guard;
  using subs_t = empty_list;

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, ParseState& state, States&&... /*unused*/) {
    if (state.contexts.empty() || !state.contexts.back()) return true;
    const char* p = in.current();
    const char* const begin = in.begin();
    while (p > begin && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r')) --p;
    return p != begin && p[-1] != '\n';
  }
};

// ------------------------------------------------------------------ lexical

// `#` to the end of the line.
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
// Whitespace and comments; what every token skips before itself.
struct sep : star<sor<one<' ', '\t', '\r', '\n', '\v', '\f'>, comment>> {};

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
// A word: what identifiers and keywords are made of. Upper-case letters are
// matched so that the parser can say that names are lower-case.
struct word : seq<ident_first, star<ident_other>> {};

template <typename Word>
struct token : seq<sep, Word> {};

// Reserved words: these never name anything. The expression words, and the
// words that start a declaration or an example line (so that what follows an
// unfinished expression, or a bare `unspecified`, is not read as part of it).
inline constexpr std::string_view kReservedWords[] = {
    "adjust", "after",  "and",       "default",  "domain", "else",    "enum",        "example",
    "expect", "fact",   "false",     "fn",       "has",    "highest", "if",          "in",
    "input",  "ledger", "match",     "not",      "or",     "otherwise", "override",  "param",
    "payout", "request", "rule",     "section",  "then",   "true",    "unspecified", "use",
    "when"};
static_assert(std::is_sorted(std::begin(kReservedWords), std::end(kReservedWords)));

// Matches a whole reserved word (one word scan and a binary search, instead
// of trying each keyword in turn: names are the commonest token).
struct reserved {
  using rule_t = reserved;
  using subs_t = empty_list;

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*unused*/) {
    const char* const begin = in.current();
    const char* p = begin;
    const char* const end = in.end();
    auto is_other = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    while (p != end && is_other(*p)) ++p;
    const std::string_view word(begin, static_cast<size_t>(p - begin));
    if (!std::binary_search(std::begin(kReservedWords), std::end(kReservedWords), word)) return false;
    in.bump(word.size());
    return true;
  }
};

// A name: a word that is not reserved. Parse-tree leaf.
struct name : seq<not_at<reserved>, word> {};
// A field after a dot may be any word (`remote.self`, `policy.year`).
struct field_name : word {};

// Keywords. Statement keywords are not reserved: they are recognised where a
// statement starts.
struct kw_policy : token<TAO_PEGTL_KEYWORD("policy")> {};
struct kw_module : token<TAO_PEGTL_KEYWORD("module")> {};
struct kw_examples : token<TAO_PEGTL_KEYWORD("examples")> {};
struct kw_for : token<TAO_PEGTL_KEYWORD("for")> {};
struct kw_region : token<TAO_PEGTL_KEYWORD("region")> {};
struct kw_year : token<TAO_PEGTL_KEYWORD("year")> {};
struct kw_source : token<TAO_PEGTL_KEYWORD("source")> {};
struct kw_extends : token<TAO_PEGTL_KEYWORD("extends")> {};
struct kw_use : token<TAO_PEGTL_KEYWORD("use")> {};
struct kw_as : token<TAO_PEGTL_KEYWORD("as")> {};
struct kw_enum : token<TAO_PEGTL_KEYWORD("enum")> {};
struct kw_domain : token<TAO_PEGTL_KEYWORD("domain")> {};
struct kw_input : token<TAO_PEGTL_KEYWORD("input")> {};
struct kw_check : token<TAO_PEGTL_KEYWORD("check")> {};
struct kw_key : token<TAO_PEGTL_KEYWORD("key")> {};
struct kw_default : token<TAO_PEGTL_KEYWORD("default")> {};
struct kw_override : token<TAO_PEGTL_KEYWORD("override")> {};
struct kw_param : token<TAO_PEGTL_KEYWORD("param")> {};
struct kw_fact : token<TAO_PEGTL_KEYWORD("fact")> {};
struct kw_rule : token<TAO_PEGTL_KEYWORD("rule")> {};
struct kw_payout : token<TAO_PEGTL_KEYWORD("payout")> {};
struct kw_fn : token<TAO_PEGTL_KEYWORD("fn")> {};
struct kw_by : token<TAO_PEGTL_KEYWORD("by")> {};
struct kw_ledger : token<TAO_PEGTL_KEYWORD("ledger")> {};
struct kw_section : token<TAO_PEGTL_KEYWORD("section")> {};
struct kw_reason : token<TAO_PEGTL_KEYWORD("reason")> {};
struct kw_after : token<TAO_PEGTL_KEYWORD("after")> {};
struct kw_example : token<TAO_PEGTL_KEYWORD("example")> {};
struct kw_expect : token<TAO_PEGTL_KEYWORD("expect")> {};
struct kw_request : token<TAO_PEGTL_KEYWORD("request")> {};
struct kw_set : token<TAO_PEGTL_KEYWORD("set")> {};
struct kw_of : token<TAO_PEGTL_KEYWORD("of")> {};
struct kw_to : token<TAO_PEGTL_KEYWORD("to")> {};
struct kw_above : token<TAO_PEGTL_KEYWORD("above")> {};
struct kw_if : token<TAO_PEGTL_KEYWORD("if")> {};
struct kw_then : token<TAO_PEGTL_KEYWORD("then")> {};
struct kw_else : token<TAO_PEGTL_KEYWORD("else")> {};
struct kw_when : token<TAO_PEGTL_KEYWORD("when")> {};
struct kw_otherwise : token<TAO_PEGTL_KEYWORD("otherwise")> {};
struct kw_match : token<TAO_PEGTL_KEYWORD("match")> {};
struct kw_highest : token<TAO_PEGTL_KEYWORD("highest")> {};
struct kw_in : token<TAO_PEGTL_KEYWORD("in")> {};
struct kw_has : token<TAO_PEGTL_KEYWORD("has")> {};
struct kw_adjust : token<TAO_PEGTL_KEYWORD("adjust")> {};
struct kw_unspecified : token<TAO_PEGTL_KEYWORD("unspecified")> {};

// Punctuation that is never required by itself (see the must-rules below).
struct comma : seq<sep, one<','>> {};
struct colon : seq<sep, one<':'>> {};
struct brace_open : seq<sep, one<'{'>> {};
struct brace_close : seq<sep, one<'}'>> {};
struct dots : seq<sep, two<'.'>> {};
// `=` that is not `==`.
struct equals : seq<sep, one<'='>, not_at<one<'='>>> {};

// A name as a token (parse-tree leaf `name`).
struct name_tok : seq<sep, name> {};

// `std.resident`: names separated by dots, no spaces.
struct dotted_name : seq<name, star<one<'.'>, name>> {};
// `claim.total`, `remote.self`: a name, then any words after dots.
struct path_field : seq<field_name> {};
struct path : seq<name, star<one<'.'>, not_at<one<'.'>>, must<path_field>>> {};
struct path_tok : seq<sep, path> {};

// `liaoyuan-2023`: lower-case letters and digits in two or more parts joined by `-`.
struct policy_id : seq<range<'a', 'z'>, star<ranges<'a', 'z', '0', '9'>>,
                       plus<one<'-'>, plus<ranges<'a', 'z', '0', '9'>>>, not_at<ident_other>> {};
struct policy_id_tok : seq<sep, policy_id> {};

// --------------------------------------------------------------- literals

struct digits : plus<range<'0', '9'>> {};
// `300`, `8916.5`: digits, optionally a point and more digits. Parse-tree leaf.
struct number : seq<digits, opt<one<'.'>, digits>> {};
struct number_tok : seq<sep, number> {};

struct unit_percent : one<'%'> {};
struct unit_points : sor<TAO_PEGTL_KEYWORD("points"), TAO_PEGTL_KEYWORD("point")> {};
struct unit_days : sor<TAO_PEGTL_KEYWORD("days"), TAO_PEGTL_KEYWORD("day")> {};
struct unit_months : sor<TAO_PEGTL_KEYWORD("months"), TAO_PEGTL_KEYWORD("month")> {};
// `80%` (no space before `%`), `5 points`, `90 days`, `3 months`, or a plain number.
struct number_lit
    : seq<number, opt<sor<unit_percent, seq<sep, sor<unit_points, unit_days, unit_months>>>>> {};

// A date: `2024-02-29`. Four digits and a `-` followed by a digit commit to a
// date; anything but the full form is then an error.
struct date_start : seq<rep<4, range<'0', '9'>>, one<'-'>, range<'0', '9'>> {};
struct date_form : seq<rep<4, range<'0', '9'>>, one<'-'>, rep<2, range<'0', '9'>>, one<'-'>,
                       rep<2, range<'0', '9'>>, not_at<ident_other>> {};
// A date. Parse-tree leaf.
struct date_lit : seq<date_form> {};

struct true_lit : TAO_PEGTL_KEYWORD("true") {};
struct false_lit : TAO_PEGTL_KEYWORD("false") {};

// Strings: one line, UTF-8, escapes \" \\ \n.
struct escape_char : one<'"', '\\', 'n'> {};
struct string_char : sor<seq<one<'\\'>, must<escape_char>>, not_one<'"', '\\', '\n', '\r'>> {};
// Looks ahead for the closing quote on the same line (any escape accepted here,
// so that a bad escape is reported as such and not as an unterminated string).
struct string_terminated
    : at<one<'"'>, star<sor<seq<one<'\\'>, not_one<'\n', '\r'>>, not_one<'"', '\\', '\n', '\r'>>>,
         one<'"'>> {};
// A string literal, quotes included. Parse-tree leaf.
struct string_lit : seq<one<'"'>, star<string_char>, one<'"'>> {};
struct string_tok : seq<sep, at<one<'"'>>, must<string_terminated>, string_lit> {};

// ------------------------------------------------------------ expressions

struct expr;

// A sub-expression in brackets, braces or parentheses: one level deeper, and
// the adjust line rule is off inside.
template <typename Rule>
struct inner : adjust_context<false, Rule> {};

struct paren_close : seq<sep, one<')'>> {};
struct paren_inner : seq<expr> {};
// `( expr )`: keeps the inner expression, marked as parenthesized.
struct paren_expr : seq<sep, one<'('>, inner<seq<must<paren_inner>, must<paren_close>>>> {};

// `{a, b}`, `{}`.
struct set_element : seq<expr> {};
struct set_close : seq<sep, one<'}'>> {};
struct set_lit : seq<brace_open, inner<seq<opt<list<set_element, comma>>, must<set_close>>>> {};

// Bracket segments: `0 to 10000: 60%` and `above 100000: 80%`.
struct segment_hi : seq<number_tok> {};
struct segment_lo_above : seq<number_tok> {};
struct segment_colon : seq<sep, one<':'>> {};
struct segment_rate : seq<expr> {};
struct segment_to : kw_to {};
struct segment_bounded
    : seq<number_tok, must<segment_to>, must<segment_hi>, must<segment_colon>, must<segment_rate>> {};
struct segment_above : seq<kw_above, must<segment_lo_above>, must<segment_colon>, must<segment_rate>> {};
struct segment : sor<segment_bounded, segment_above> {};
struct first_segment : seq<segment> {};
struct brackets_close : seq<sep, one<'}'>> {};
// `{ segment ... }`: at least one segment; juxtaposed or separated by commas.
struct brackets_lit
    : seq<brace_open, inner<seq<must<first_segment>, star<opt<comma>, segment>, opt<comma>, must<brackets_close>>>> {};
// What starts a brackets literal rather than a set: `{ 0 to` or `{ above`.
struct brackets_start : seq<brace_open, sep, sor<seq<digits, opt<one<'.'>, digits>, kw_to>, kw_above>> {};

// `f(a, b)`.
struct call_arg : seq<expr> {};
struct call_close : seq<sep, one<')'>> {};
struct call_args : seq<sep, one<'('>, inner<seq<opt<list<call_arg, comma>>, must<call_close>>>> {};
// A name or path, called when followed by `(`.
struct path_or_call : seq<path_tok, opt<call_args>> {};

// `t[k]`, `t[k1, k2]`.
struct index_key : seq<expr> {};
struct index_close : seq<sep, one<']'>> {};
struct index_keys : list<index_key, comma> {};
struct index_args : seq<sep, one<'['>, inner<seq<must<index_keys>, must<index_close>>>> {};

// `match subject { keys: value ... else: value }`: arms juxtaposed or separated by commas.
struct else_key : kw_else {};
struct key_value : seq<sep, sor<number, name>> {};
struct match_subject : seq<expr> {};
struct match_open : seq<sep, one<'{'>> {};
struct arm_keys : sor<else_key, list<key_value, comma>> {};
struct arm_colon : seq<sep, one<':'>> {};
struct arm_value : seq<expr> {};
struct match_arm : seq<arm_keys, must<arm_colon>, must<arm_value>> {};
struct match_close : seq<sep, one<'}'>> {};
struct match_expr
    : seq<kw_match, must<match_subject>, must<match_open>,
          inner<seq<star<match_arm, opt<comma>>, must<match_close>>>> {};

// `adjust base { [override] value when condition ... }`.
struct postfix_expr;
struct adjust_base : seq<postfix_expr> {};
struct adjust_open : seq<sep, one<'{'>> {};
struct adjust_override : kw_override {};
struct adjust_value : seq<expr> {};
struct override_value : seq<expr> {};
struct adjust_when : kw_when {};
struct adjust_condition : adjust_context<true, expr> {};
struct adjust_line
    : seq<sor<seq<adjust_override, must<override_value>>, adjust_value>, must<adjust_when>, must<adjust_condition>> {};
struct adjust_close : seq<sep, one<'}'>> {};
struct adjust_expr
    : seq<kw_adjust, must<adjust_base>, must<adjust_open>, inner<seq<star<adjust_line>, must<adjust_close>>>> {};

// `unspecified`, `unspecified "words"`, `unspecified name "words"`.
struct unspecified_name : seq<sep, name, at<sep, one<'"'>>> {};
struct unspecified_expr : seq<kw_unspecified, opt<unspecified_name>, opt<string_tok>> {};

struct date_shape : at<date_form> {};
struct date_tok : seq<sep, at<date_start>, must<date_shape>, date_lit> {};

// The tightest-binding expressions.
struct primary
    : sor<date_tok, seq<sep, number_lit>, seq<sep, true_lit>, seq<sep, false_lit>, string_tok,
          seq<at<brackets_start>, brackets_lit>, set_lit, paren_expr, match_expr, adjust_expr,
          unspecified_expr, path_or_call> {};

// Postfix: table lookups.
struct postfix_expr : seq<primary, star<index_args>> {};

// Unary minus, binding tighter than `*`.
struct op_neg : seq<sep, one<'-'>> {};
struct unary_expr : seq<star<op_neg>, postfix_expr> {};

struct op_mul : seq<sep, one<'*'>> {};
struct mul_rhs : seq<unary_expr> {};
struct mul_expr : seq<unary_expr, star<op_mul, must<mul_rhs>>> {};

// `+` (not `+=`) and `-`; see binary_line_guard.
struct op_add : seq<sep, binary_line_guard, one<'+'>, not_at<one<'='>>> {};
struct op_sub : seq<sep, binary_line_guard, one<'-'>> {};
struct add_rhs : seq<mul_expr> {};
struct add_expr : seq<mul_expr, star<sor<op_add, op_sub>, must<add_rhs>>> {};

// Comparisons, membership and ranges; they do not chain.
struct op_eq : seq<sep, two<'='>> {};
struct op_ne : seq<sep, string<'!', '='>> {};
struct op_le : seq<sep, string<'<', '='>> {};
struct op_lt : seq<sep, one<'<'>> {};
struct op_ge : seq<sep, string<'>', '='>> {};
struct op_gt : seq<sep, one<'>'>> {};
struct op_in : kw_in {};
struct op_has_any : seq<kw_has, token<TAO_PEGTL_KEYWORD("any")>> {};
struct op_has : token<TAO_PEGTL_KEYWORD("has")> {};
struct compare_rhs : seq<add_expr> {};
struct in_rhs : seq<add_expr> {};
struct range_hi : seq<add_expr> {};
struct has_rhs : seq<add_expr> {};
struct compare_op : sor<op_eq, op_ne, op_le, op_lt, op_ge, op_gt> {};
struct no_chained_comparison
    : not_at<sep, sor<two<'='>, string<'!', '='>, one<'<', '>'>, TAO_PEGTL_KEYWORD("in"), TAO_PEGTL_KEYWORD("has")>> {};
struct compare_tail
    : sor<seq<compare_op, must<compare_rhs>>, seq<op_in, must<in_rhs>, opt<dots, must<range_hi>>>,
          seq<sor<op_has_any, op_has>, must<has_rhs>>> {};
struct compare_expr : seq<add_expr, opt<compare_tail, must<no_chained_comparison>>> {};

struct op_not : token<TAO_PEGTL_KEYWORD("not")> {};
struct not_expr : seq<star<op_not>, compare_expr> {};

struct op_and : token<TAO_PEGTL_KEYWORD("and")> {};
struct and_rhs : seq<not_expr> {};
struct and_expr : seq<not_expr, star<op_and, must<and_rhs>>> {};

struct op_or : token<TAO_PEGTL_KEYWORD("or")> {};
struct or_rhs : seq<and_expr> {};
struct or_expr : seq<and_expr, star<op_or, must<or_rhs>>> {};

// `if c then a else b`, the loosest form.
struct if_condition : seq<expr> {};
struct if_then : kw_then {};
struct if_then_value : seq<expr> {};
struct if_else : kw_else {};
struct if_else_value : seq<expr> {};
struct if_expr
    : seq<kw_if, must<if_condition>, must<if_then>, must<if_then_value>, must<if_else>, must<if_else_value>> {};

// `highest c in s: body else fallback`.
struct highest_var : seq<sep, name> {};
struct highest_in : kw_in {};
struct highest_set : seq<expr> {};
struct highest_colon : seq<sep, one<':'>> {};
struct highest_body : seq<expr> {};
struct highest_else : kw_else {};
struct highest_fallback : seq<expr> {};
struct highest_expr
    : seq<kw_highest, must<highest_var>, must<highest_in>, must<highest_set>, must<highest_colon>,
          must<highest_body>, must<highest_else>, must<highest_fallback>> {};

// Any expression, one nesting level deeper.
struct expr : nested<sor<if_expr, highest_expr, or_expr>> {};

// ------------------------------------------------------------------- types

struct type_element : seq<sep, name> {};
struct type_set : seq<kw_set, kw_of, must<type_element>> {};
struct type_name : seq<sep, name> {};
struct type_optional : seq<sep, one<'?'>> {};
// `money`, `level`, `set of category`, each optionally followed by `?`.
struct type_ref : seq<sor<type_set, type_name>, opt<type_optional>> {};

// ------------------------------------------------------------------ header

struct policy_name : seq<policy_id_tok> {};
struct policy_title : seq<string_tok> {};
struct header_open : seq<sep, one<'{'>> {};
struct header_string : seq<string_tok> {};
struct header_year_number : seq<number_tok> {};
struct header_policy : seq<policy_id_tok> {};
struct header_region : seq<kw_region, must<header_string>> {};
struct header_source : seq<kw_source, must<header_string>> {};
struct header_year : seq<kw_year, must<header_year_number>> {};
struct header_extends : seq<kw_extends, must<header_policy>> {};
struct header_close : seq<sep, one<'}'>> {};
struct policy_header
    : seq<kw_policy, must<policy_name>, must<policy_title>, must<header_open>,
          star<sor<header_region, header_year, header_source, header_extends>>, must<header_close>> {};

struct module_name : seq<sep, dotted_name> {};
struct module_header : seq<kw_module, must<module_name>, opt<string_tok>> {};

struct examples_for : kw_for {};
struct examples_policy : seq<policy_id_tok> {};
struct examples_header : seq<kw_examples, must<examples_for>, must<examples_policy>> {};

struct header : sor<policy_header, module_header, examples_header> {};
// What starts a header (the parser tries the header only there).
struct header_start : sor<kw_policy, kw_module, kw_examples> {};

// ------------------------------------------------------------------- items

// `use std.resident`, `use national-2024 as national`.
struct use_alias : seq<sep, name> {};
struct use_as : kw_as {};
struct use_policy : seq<policy_id_tok, must<use_as>, must<use_alias>> {};
struct use_module : seq<sep, dotted_name> {};
struct use_target : sor<use_policy, use_module> {};
struct use_decl : seq<kw_use, must<use_target>> {};

// `enum name "label" { member "label" ... }`.
struct enum_name : seq<sep, name> {};
struct enum_open : seq<sep, one<'{'>> {};
struct enum_member : seq<sep, name, opt<string_tok>> {};
struct enum_close : seq<sep, one<'}'>> {};
struct enum_decl : seq<kw_enum, must<enum_name>, opt<string_tok>, must<enum_open>, star<enum_member>, must<enum_close>> {};

// `domain name lo..hi "label"`.
struct domain_name : seq<sep, name> {};
struct domain_lo : seq<number_tok> {};
struct domain_dots : seq<dots> {};
struct domain_hi : seq<number_tok> {};
struct domain_decl
    : seq<kw_domain, must<domain_name>, must<domain_lo>, must<domain_dots>, must<domain_hi>, opt<string_tok>> {};

// `input { field | record | check | ledger key }`.
struct input_member;
struct field_type : seq<type_ref> {};
struct field_default_value : seq<expr> {};
struct input_field : seq<sep, name, colon, must<field_type>, opt<equals, must<field_default_value>>> {};
struct record_optional : seq<sep, one<'?'>> {};
struct record_close : seq<sep, one<'}'>> {};
struct input_record : seq<sep, name, opt<record_optional>, brace_open, nested<seq<star<input_member>, must<record_close>>>> {};
struct check_condition : seq<expr> {};
struct check_else : kw_else {};
struct check_field : seq<path_tok> {};
struct check_colon : seq<sep, one<':'>> {};
struct check_message : seq<string_tok> {};
struct input_check : seq<kw_check, not_at<sep, one<':', '?', '{'>>, must<check_condition>, must<check_else>,
                         must<check_field>, must<check_colon>, must<check_message>> {};
struct ledger_key_path : seq<path_tok> {};
struct input_ledger_key : seq<kw_ledger, kw_key, must<ledger_key_path>> {};
struct input_member : sor<input_ledger_key, input_check, input_field, input_record> {};
struct input_open : seq<sep, one<'{'>> {};
struct input_close : seq<sep, one<'}'>> {};
struct input_decl : seq<kw_input, must<input_open>, star<input_member>, must<input_close>> {};

// Tables: `by key[, key] { rows }`.
struct key_hi : seq<number_tok> {};
struct table_key : seq<sep, name, opt<seq<sep, number, dots>, must<key_hi>>> {};
struct table_key_required : seq<table_key> {};
struct table_open : seq<sep, one<'{'>> {};
struct row_keys : sor<else_key, list<key_value, comma>> {};
// What starts a row, looked ahead after a comma between values: keys and then
// `:` or `{`. At most 64 keys are looked at, so that a long row stays linear.
struct key_ahead : seq<sep, sor<digits, word>> {};
struct row_start : seq<sor<kw_else, seq<key_ahead, rep_max<63, comma, key_ahead>>>, sep, one<':', '{'>> {};
struct row_colon : seq<sep, one<':'>> {};
struct row_value : seq<expr> {};
struct row_values : seq<row_value, star<comma, not_at<row_start>, must<row_value>>> {};
struct row_brackets : seq<at<sep, one<'{'>>, brackets_lit> {};
struct table_row : seq<row_keys, sor<row_brackets, seq<must<row_colon>, must<row_values>>>> {};
struct table_close : seq<sep, one<'}'>> {};
struct table_body
    : seq<kw_by, must<table_key_required>, opt<comma, must<table_key_required>>, must<table_open>,
          star<table_row, opt<comma>>, must<table_close>> {};

// `param|fact|rule|payout name: type [= expr | by ... | { segments }]`.
struct decl_kind : sor<kw_param, kw_fact, kw_rule, kw_payout> {};
struct decl_name : seq<sep, name> {};
struct decl_colon : seq<sep, one<':'>> {};
struct decl_type : seq<type_ref> {};
struct decl_value : seq<expr> {};
struct decl_brackets : seq<brackets_lit> {};
struct decl_body : sor<table_body, seq<equals, must<decl_value>>, seq<at<sep, one<'{'>>, must<decl_brackets>>> {};
struct decl : seq<decl_kind, must<decl_name>, must<decl_colon>, must<decl_type>, opt<decl_body>> {};

// `fn name(a: type, ...): type [= expr]`.
struct fn_name : seq<sep, name> {};
struct fn_open : seq<sep, one<'('>> {};
struct fn_param_colon : seq<sep, one<':'>> {};
struct fn_param_type : seq<type_ref> {};
struct fn_param : seq<sep, name, must<fn_param_colon>, must<fn_param_type>> {};
struct fn_param_next : seq<fn_param> {};
struct fn_close : seq<sep, one<')'>> {};
struct fn_colon : seq<sep, one<':'>> {};
struct fn_result : seq<type_ref> {};
struct fn_body : seq<expr> {};
struct fn_decl
    : seq<kw_fn, must<fn_name>, must<fn_open>, opt<fn_param, star<comma, must<fn_param_next>>>, must<fn_close>,
          must<fn_colon>, must<fn_result>, opt<equals, must<fn_body>>> {};

// `default` / `override` before a declaration or function.
struct default_item : sor<decl, fn_decl> {};
struct override_item : sor<decl, fn_decl> {};
struct modified_decl : sor<seq<kw_default, must<default_item>>, seq<kw_override, must<override_item>>> {};

// `ledger name: money [by key [lo..hi]] ["label"]`.
struct ledger_name : seq<sep, name> {};
struct ledger_colon : seq<sep, one<':'>> {};
struct ledger_type : seq<type_ref> {};
struct ledger_decl
    : seq<kw_ledger, must<ledger_name>, must<ledger_colon>, must<ledger_type>, opt<kw_by, must<table_key_required>>,
          opt<string_tok>> {};

// `section name [when expr] { reason name when expr | field = expr [otherwise expr] [when expr] }`.
struct section_name : seq<sep, name> {};
struct section_condition : seq<expr> {};
struct section_when : seq<kw_when, must<section_condition>> {};
struct section_open : seq<sep, one<'{'>> {};
struct reason_name : seq<sep, name> {};
struct reason_when : kw_when {};
struct reason_condition : seq<expr> {};
struct section_reason : seq<kw_reason, not_at<equals>, must<reason_name>, must<reason_when>, must<reason_condition>> {};
struct field_equals : seq<sep, one<'='>> {};
struct field_value : seq<expr> {};
struct otherwise_value : seq<expr> {};
struct field_otherwise : seq<kw_otherwise, must<otherwise_value>> {};
struct field_condition : seq<expr> {};
struct field_when : seq<kw_when, must<field_condition>> {};
struct section_field : seq<sep, name, must<field_equals>, must<field_value>, opt<field_otherwise>, opt<field_when>> {};
struct section_close : seq<sep, one<'}'>> {};
struct section_decl
    : seq<kw_section, must<section_name>, opt<section_when>, must<section_open>, star<sor<section_reason, section_field>>,
          must<section_close>> {};

// `after name { ledger[key] += expr [when expr] }`.
struct after_name : seq<sep, name> {};
struct after_open : seq<sep, one<'{'>> {};
struct after_key_close : seq<sep, one<']'>> {};
struct after_key_value : seq<expr> {};
struct after_key : seq<sep, one<'['>, inner<seq<must<after_key_value>, must<after_key_close>>>> {};
struct after_plus_equals : seq<sep, string<'+', '='>> {};
struct after_value : seq<expr> {};
struct after_condition : seq<expr> {};
struct after_when : seq<kw_when, must<after_condition>> {};
struct after_entry : seq<sep, name, opt<after_key>, must<after_plus_equals>, must<after_value>, opt<after_when>> {};
struct after_close : seq<sep, one<'}'>> {};
struct after_decl : seq<kw_after, must<after_name>, must<after_open>, star<after_entry>, must<after_close>> {};

// `example "name" { path = value | expect path = value | request "name" { ... } }`.
struct example_name : seq<string_tok> {};
struct example_open : seq<sep, one<'{'>> {};
struct set_equals : seq<sep, one<'='>> {};
struct set_value : seq<expr> {};
struct expect_path : seq<path_tok> {};
struct example_expect : seq<kw_expect, must<expect_path>, must<set_equals>, must<set_value>> {};
struct example_assign : seq<path_tok, must<set_equals>, must<set_value>> {};
struct request_name : seq<string_tok> {};
struct request_open : seq<sep, one<'{'>> {};
struct request_close : seq<sep, one<'}'>> {};
struct example_request
    : seq<kw_request, must<request_name>, must<request_open>, star<sor<example_expect, example_assign>>,
          must<request_close>> {};
struct example_close : seq<sep, one<'}'>> {};
struct example_decl
    : seq<kw_example, must<example_name>, must<example_open>, star<sor<example_expect, example_request, example_assign>>,
          must<example_close>> {};

// One top-level declaration.
struct item
    : sor<use_decl, enum_decl, domain_decl, input_decl, decl, fn_decl, modified_decl, ledger_decl, section_decl,
          after_decl, example_decl> {};

// The unit the parser runs once per declaration (it recovers between them).
struct top_item : must<item> {};
struct top_header : must<header> {};

// For analyze<>: the whole language in one rule.
struct file : seq<opt<header>, star<item>, sep, eof> {};

}  // namespace yibao::grammar

// analyze<> must know how the custom rules consume input.
namespace tao::pegtl {
template <typename Name, typename Rule>
struct analyze_traits<Name, yibao::grammar::nested<Rule>> : analyze_traits<Name, typename seq<Rule>::rule_t> {};
template <typename Name, bool B, typename Rule>
struct analyze_traits<Name, yibao::grammar::adjust_context<B, Rule>>
    : analyze_traits<Name, typename seq<Rule>::rule_t> {};
template <typename Name>
struct analyze_traits<Name, yibao::grammar::binary_line_guard> : analyze_opt_traits<> {};
template <typename Name>
struct analyze_traits<Name, yibao::grammar::reserved> : analyze_any_traits<> {};
}  // namespace tao::pegtl
