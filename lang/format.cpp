// The formatter's layout (lang/format.h; the rules are in docs/fmt.md).
//
// Each source line with code stays one line: the formatter decides its
// indentation and the spaces between its tokens, aligns the cells of table
// rows and enum members, places trailing comments, and keeps at most one
// blank line. In order:
//   1. tokens, marked from the AST (format_tokens.cpp), grouped by line;
//   2. indentation, line by line, from the brackets still open and whether
//      the line starts a statement (a declaration, member, row, arm, ...);
//   3. the code of each line, then the cells of aligned rows;
//   4. comment lines, trailing comments and blank lines.
#include "lang/format.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/ast_print.h"
#include "lang/format_tokens.h"
#include "lang/parser.h"

namespace yibao {

namespace {

using format_detail::AlignedRow;
using format_detail::Token;
using format_detail::TokenKind;

// One source line.
struct Line {
  std::vector<uint32_t> code;  // token indices
  int32_t comment = -1;        // token index of its comment
  int32_t orig_indent = 0;     // display width of its leading blanks
  uint32_t orig_comment_column = 0;
  // Output:
  int32_t indent = 0;
  std::string text;  // the code, without indentation
  uint32_t width = 0;  // display width of indent + text

  [[nodiscard]] bool has_code() const { return !code.empty(); }
  [[nodiscard]] bool blank() const { return code.empty() && comment < 0; }
};

bool is_opener(const Token& t) {
  return t.kind == TokenKind::punct && (t.text == "(" || t.text == "[" || t.text == "{");
}
bool is_closer(const Token& t) {
  return t.kind == TokenKind::punct && (t.text == ")" || t.text == "]" || t.text == "}");
}

// Spaces between two tokens on one line.
int gap(const Token& a, const Token& b) {
  const bool a_punct = a.kind == TokenKind::punct;
  const bool b_punct = b.kind == TokenKind::punct;
  if (a_punct && a.text == "{" && b_punct && b.text == "}") return 0;
  if (b_punct && (b.text == "," || b.text == ")" || b.text == "]" || b.text == ":" || b.text == "?")) return 0;
  if ((a_punct && a.text == "..") || (b_punct && b.text == "..")) return 0;
  if (a_punct && (a.text == "(" || a.text == "[")) return 0;
  if (b_punct && b.text == "(") return b.call_paren ? 0 : 1;
  if (b_punct && b.text == "[") return 0;
  if (a.unary) return 0;
  if (a_punct && a.text == "{") return a.set_brace ? 0 : 1;
  if (b_punct && b.text == "}") return b.set_brace ? 0 : 1;
  // Two statements side by side (`{ 0 to 100: 50%  above 100: 60% }`).
  if (b.statement && !(a_punct && a.text == ",")) return 2;
  return 1;
}

// A table cell holding one number (`380,`, `-5 points`): right-aligned.
bool is_number_cell(const std::vector<const Token*>& cell) {
  bool number = false;
  for (size_t i = 0; i < cell.size(); ++i) {
    const Token& t = *cell[i];
    const bool unit = t.kind == TokenKind::word && (t.text == "point" || t.text == "points" || t.text == "day" ||
                                                    t.text == "days" || t.text == "month" || t.text == "months");
    if (t.kind == TokenKind::number && !number) {
      number = true;
    } else if (!((t.unary && !number) || (unit && number) || (t.text == "," && i + 1 == cell.size()))) {
      return false;
    }
  }
  return number;
}

class Layout {
 public:
  Layout(std::string_view text, format_detail::Tokens tokens) : text_(text), tokens_(std::move(tokens.tokens)), rows_(std::move(tokens.rows)) {}

  std::string run() {
    split_lines();
    indent_and_print();
    align_rows();
    return assemble();
  }

 private:
  // ------------------------------------------------------------ lines

  void split_lines() {
    std::vector<uint32_t> starts{0};
    for (uint32_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') starts.push_back(i + 1);
    }
    lines_.resize(starts.size());
    for (uint32_t i = 0; i < tokens_.size(); ++i) {
      Line& line = lines_[tokens_[i].line];
      if (tokens_[i].kind == TokenKind::comment) {
        line.comment = static_cast<int32_t>(i);
      } else {
        line.code.push_back(i);
      }
    }
    for (uint32_t l = 0; l < lines_.size(); ++l) {
      Line& line = lines_[l];
      if (line.blank()) continue;
      const uint32_t first = line.has_code() ? line.code.front() : static_cast<uint32_t>(line.comment);
      const std::string_view prefix = text_.substr(starts[l], tokens_[first].begin - starts[l]);
      line.orig_indent = static_cast<int32_t>(display_width(prefix));
      if (line.comment >= 0) {
        const Token& c = tokens_[static_cast<uint32_t>(line.comment)];
        line.orig_comment_column = display_width(text_.substr(starts[l], c.begin - starts[l]));
      }
    }
  }

  // ------------------------------------------------------ indentation

  // Where a continuation line is indented from: the last line that started
  // a statement (or opened the bracket), as printed and as written.
  struct Anchor {
    int32_t indent = 0;
    int32_t orig_indent = 0;
  };

  // A bracket still open at the end of a line (or the file itself).
  struct Frame {
    int32_t opener = -1;        // token index; -1 for the file
    int32_t line_indent = -2;   // indentation of the line that opened it
    bool paren = false;         // `(` or `[`
    bool followed = false;      // code follows the opener on its line
    int32_t column_after = 0;   // the column just after the opener
    Anchor anchor;
  };

  std::string line_code(const Line& line, uint32_t from, uint32_t to) const {
    std::string out;
    for (uint32_t k = from; k < to; ++k) {
      const Token& t = tokens_[line.code[k]];
      if (k > from) out.append(static_cast<size_t>(gap(tokens_[line.code[k - 1]], t)), ' ');
      out += t.text;
    }
    return out;
  }

  void indent_and_print() {
    std::vector<Frame> frames(1);
    frames[0].anchor = {0, 0};
    for (Line& line : lines_) {
      if (!line.has_code()) continue;
      const Token& first = tokens_[line.code.front()];
      Frame& frame = frames.back();
      if (is_closer(first) && frame.opener >= 0 && first.match == frame.opener) {
        line.indent = frame.line_indent;
      } else if (first.statement) {
        line.indent = frame.line_indent + 2;
        frame.anchor = {line.indent, line.orig_indent};
      } else if (frame.paren && frame.followed) {
        line.indent = frame.column_after;
      } else {
        line.indent = frame.anchor.indent + std::max(2, line.orig_indent - frame.anchor.orig_indent);
      }
      line.text = line_code(line, 0, static_cast<uint32_t>(line.code.size()));

      // The brackets this line opens and closes.
      int32_t column = line.indent;
      for (uint32_t k = 0; k < line.code.size(); ++k) {
        const uint32_t i = line.code[k];
        const Token& t = tokens_[i];
        if (k > 0) column += gap(tokens_[line.code[k - 1]], t);
        column += static_cast<int32_t>(display_width(t.text));
        if (is_opener(t)) {
          Frame f;
          f.opener = static_cast<int32_t>(i);
          f.line_indent = line.indent;
          f.paren = t.text != "{";
          f.followed = k + 1 < line.code.size();
          f.column_after = column;
          f.anchor = {line.indent, line.orig_indent};
          frames.push_back(f);
        } else if (is_closer(t) && frames.size() > 1 && frames.back().opener == t.match) {
          frames.pop_back();
        }
      }
    }
  }

  // ------------------------------------------------------- alignment

  // The line holding exactly `row`, if any.
  std::optional<uint32_t> row_line(const AlignedRow& row) const {
    const auto at = std::lower_bound(tokens_.begin(), tokens_.end(), row.begin,
                                     [](const Token& t, uint32_t offset) { return t.begin < offset; });
    if (at == tokens_.end() || at->begin != row.begin || at->kind == TokenKind::comment) return std::nullopt;
    const auto i = static_cast<uint32_t>(at - tokens_.begin());
    const Line& line = lines_[at->line];
    if (line.code.front() != i || tokens_[line.code.back()].end != row.end) return std::nullopt;
    return at->line;
  }

  // The positions in line.code where the row's cells start (cell 0 at 0).
  std::vector<uint32_t> cell_starts(const Line& line, const AlignedRow& row) const {
    std::vector<uint32_t> starts{0};
    for (uint32_t offset : row.cell_starts) {
      uint32_t k = 0;
      while (k < line.code.size() && tokens_[line.code[k]].begin < offset) ++k;
      // A value written in parentheses starts at its `(`.
      while (k > starts.back() + 1 && tokens_[line.code[k - 1]].text == "(" && !tokens_[line.code[k - 1]].call_paren) --k;
      if (k <= starts.back() || k >= line.code.size()) return {0};
      starts.push_back(k);
    }
    return starts;
  }

  struct Cells {
    uint32_t line = 0;
    std::vector<uint32_t> starts;
    std::vector<std::string> text;
    std::vector<uint32_t> width;
  };

  void align_rows() {
    // Runs of rows of one group on consecutive lines (comment lines between
    // them allowed, blank lines not).
    std::vector<Cells> run;
    uint32_t group = 0;
    bool numeric_rows = false;
    auto flush = [&] {
      if (run.size() >= 2) align(run, numeric_rows);
      run.clear();
    };
    for (const AlignedRow& row : rows_) {
      const auto l = row_line(row);
      if (!l) {
        flush();
        continue;
      }
      if (!run.empty()) {
        bool adjacent = row.group == group && *l > run.back().line;
        for (uint32_t between = run.back().line + 1; adjacent && between < *l; ++between) {
          if (lines_[between].has_code() || lines_[between].blank()) adjacent = false;
        }
        if (!adjacent) flush();
      }
      group = row.group;
      numeric_rows = row.numeric_cells;
      const Line& line = lines_[*l];
      Cells cells;
      cells.line = *l;
      cells.starts = cell_starts(line, row);
      for (uint32_t c = 0; c < cells.starts.size(); ++c) {
        const uint32_t to = c + 1 < cells.starts.size() ? cells.starts[c + 1] : static_cast<uint32_t>(line.code.size());
        cells.text.push_back(line_code(line, cells.starts[c], to));
        cells.width.push_back(display_width(cells.text.back()));
      }
      run.push_back(std::move(cells));
    }
    flush();
  }

  // Lays the run out in columns: each left-aligned column starts, and each
  // right-aligned (numeric) column ends, at the same place in every row.
  void align(const std::vector<Cells>& run, bool numeric_rows) {
    size_t columns = 0;
    for (const Cells& cells : run) columns = std::max(columns, cells.text.size());
    std::vector<bool> numeric(columns, numeric_rows);
    numeric[0] = false;
    for (const Cells& cells : run) {
      const Line& line = lines_[cells.line];
      for (size_t c = 1; c < cells.text.size() && numeric[c]; ++c) {
        const uint32_t to = c + 1 < cells.starts.size() ? cells.starts[c + 1] : static_cast<uint32_t>(line.code.size());
        std::vector<const Token*> cell;
        for (uint32_t k = cells.starts[c]; k < to; ++k) cell.push_back(&tokens_[line.code[k]]);
        numeric[c] = is_number_cell(cell);
      }
    }
    std::vector<std::string> out(run.size());
    std::vector<uint32_t> position(run.size(), 0);
    for (size_t c = 0; c < columns; ++c) {
      // The spaces before this column's cell in each row.
      std::vector<uint32_t> gaps(run.size(), 0);
      uint32_t target = 0;
      for (size_t r = 0; r < run.size(); ++r) {
        const Cells& cells = run[r];
        if (c >= cells.text.size()) continue;
        const Line& line = lines_[cells.line];
        if (c > 0) gaps[r] = static_cast<uint32_t>(gap(tokens_[line.code[cells.starts[c] - 1]], tokens_[line.code[cells.starts[c]]]));
        target = std::max(target, position[r] + gaps[r] + (numeric[c] ? cells.width[c] : 0));
      }
      for (size_t r = 0; r < run.size(); ++r) {
        const Cells& cells = run[r];
        if (c >= cells.text.size()) continue;
        const uint32_t start = numeric[c] ? target - cells.width[c] : target;
        out[r].append(start - position[r], ' ');
        out[r] += cells.text[c];
        position[r] = start + cells.width[c];
      }
    }
    for (size_t r = 0; r < run.size(); ++r) lines_[run[r].line].text = std::move(out[r]);
  }

  // ---------------------------------------------------------- output

  std::string assemble() {
    for (Line& line : lines_) {
      if (line.has_code()) line.width = static_cast<uint32_t>(line.indent) + display_width(line.text);
    }
    // Comment lines take the indentation of the code after them (inside the
    // block when that code closes it).
    int32_t next_indent = 0;
    for (size_t l = lines_.size(); l-- > 0;) {
      Line& line = lines_[l];
      if (line.has_code()) {
        next_indent = is_closer(tokens_[line.code.front()]) ? line.indent + 2 : line.indent;
      } else if (line.comment >= 0) {
        line.indent = next_indent;
      }
    }
    // Trailing comments: two spaces after the code, except that comments
    // that were aligned stay aligned: within consecutive code lines, the
    // comments at one column (lines without a comment between them allowed)
    // keep that column (shifted with the first one's indentation), or move
    // right together where the code needs it.
    std::vector<uint32_t> comment_column(lines_.size(), 0);
    std::vector<size_t> group;  // commented lines of the current group
    auto close_group = [&] {
      uint32_t widest = 0;
      for (size_t k : group) widest = std::max(widest, lines_[k].width);
      uint32_t column = widest + 2;
      if (group.size() >= 2) {
        const Line& first = lines_[group.front()];
        const int32_t shifted = static_cast<int32_t>(first.orig_comment_column) + first.indent - first.orig_indent;
        column = std::max(column, static_cast<uint32_t>(std::max(0, shifted)));
      }
      for (size_t k : group) comment_column[k] = column;
      group.clear();
    };
    for (size_t l = 0; l < lines_.size(); ++l) {
      const Line& line = lines_[l];
      if (!line.has_code()) {
        if (!group.empty()) close_group();
        continue;
      }
      if (line.comment < 0) continue;
      if (!group.empty() && lines_[group.front()].orig_comment_column != line.orig_comment_column) close_group();
      group.push_back(l);
    }
    if (!group.empty()) close_group();

    std::string out;
    bool pending_blank = false;
    bool after_opener = true;  // at the start of the file or just after a line ending in an opener
    for (size_t l = 0; l < lines_.size(); ++l) {
      const Line& line = lines_[l];
      if (line.blank()) {
        pending_blank = true;
        continue;
      }
      const bool closes = line.has_code() && is_closer(tokens_[line.code.front()]);
      if (pending_blank && !after_opener && !closes) out += '\n';
      pending_blank = false;
      out.append(static_cast<size_t>(std::max(0, line.indent)), ' ');
      out += line.text;
      if (line.comment >= 0) {
        if (line.has_code()) out.append(comment_column[l] - line.width, ' ');
        out += tokens_[static_cast<uint32_t>(line.comment)].text;
      }
      out += '\n';
      after_opener = line.has_code() && is_opener(tokens_[line.code.back()]);
    }
    return out;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::vector<AlignedRow> rows_;
  std::vector<Line> lines_;
};

}  // namespace

FormatResult format_file(const SourceManager& sources, FileId file, Diagnostics& diagnostics) {
  FormatResult result;
  const ParseResult parsed = parse(sources, file, diagnostics);
  if (!parsed.ok) return result;
  const std::string_view text = sources.text(file);
  result.text = Layout(text, format_detail::tokenize(text, *parsed.file)).run();

  // The guard: the layout must read back as the same tree.
  SourceManager again;
  const FileId copy = again.add(std::string(sources.path(file)), result.text);
  Diagnostics quiet(0);
  const ParseResult reparsed = parse(again, copy, quiet);
  if (!reparsed.ok) {
    result.internal_error = "the formatted text does not parse";
  } else if (ast::print_ast(*reparsed.file) != ast::print_ast(*parsed.file)) {
    result.internal_error = "the formatted text parses to a different tree";
  }
  result.ok = result.internal_error.empty();
  if (!result.ok) result.text.clear();
  return result;
}

}  // namespace yibao
