// The JIT's object cache (JitOptions::cache_dir, docs/jit.md "The object
// cache"): a compile stores each tier's object; the next compile of the
// same program loads the final tier and starts no background compile; the
// loaded code settles as the interpreter does; a damaged entry is a miss
// (compiled again, never run); a directory that cannot be written is
// reported in the stats and changes nothing else. (tests/jit/differential.sh
// checks that an object stored by one process runs in another.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "yibao/jit.h"
#include "yibao/settle.h"
#include "tests/support/seed_policies.h"

using namespace yibao;
using test::Seed;
using test::seed_policies;
using test::settle_lines;
namespace fs = std::filesystem;

namespace {

// A fresh directory for one test, removed at the end.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("yibao-jit-cache-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

// Whether the engine over `compiled` settles the seed's requests as the interpreter does.
bool agrees(const Seed& seed, const std::shared_ptr<const jit::JitProgram>& compiled) {
  test::SettlerPair pair(*seed.program, jit::engine_factory(compiled));
  std::uint64_t n_interpreter = 0;
  std::uint64_t n_engine = 0;
  return settle_lines(*pair.engine, seed.lines, n_engine) == settle_lines(*pair.interpreter, seed.lines, n_interpreter) &&
         pair.same_ledgers();
}

const Seed& liaoyuan(const std::vector<Seed>& all) {
  for (const Seed& s : all) {
    if (s.program->policy_id == "liaoyuan-2023") return s;
  }
  FAIL("no liaoyuan-2023 seed");
  return all.front();
}

}  // namespace

TEST_CASE("JIT object cache: the first compile stores both tiers, the next loads the final one", "[jit][cache]") {
  for (const Seed& seed : seed_policies()) {
    INFO(seed.id);
    TempDir dir("tiers");
    const jit::JitOptions options{.opt_level = 2, .tier_up = true, .cache_dir = dir.path.string()};

    auto cold = jit::JitProgram::compile(*seed.program, options);
    REQUIRE(cold);
    REQUIRE((*cold)->wait_for_final_tier());
    const jit::JitStats stored = (*cold)->stats();
    CHECK_FALSE(stored.from_cache);
    CHECK(stored.tiering);
    CHECK(stored.level == 1);
    CHECK(stored.cache_error.empty());
    CHECK(entries(dir.path).size() == 2);  // level 1 and level 2
    CHECK(agrees(seed, *cold));

    auto warm = jit::JitProgram::compile(*seed.program, options);
    REQUIRE(warm);
    const jit::JitStats loaded = (*warm)->stats();
    CHECK(loaded.from_cache);
    CHECK_FALSE(loaded.tiering);  // nothing to tier up to
    CHECK(loaded.level == 2);
    CHECK((*warm)->level() == 2);
    CHECK(loaded.final_done);
    CHECK(loaded.cache_error.empty());
    CHECK(entries(dir.path).size() == 2);
    CHECK(agrees(seed, *warm));
  }
}

TEST_CASE("JIT object cache: each level has its own entry", "[jit][cache]") {
  const auto all = seed_policies();
  const Seed& seed = liaoyuan(all);
  TempDir dir("levels");
  for (int level = 0; level <= 3; ++level) {
    auto compiled = jit::JitProgram::compile(
        *seed.program, jit::JitOptions{.opt_level = level, .tier_up = false, .cache_dir = dir.path.string()});
    REQUIRE(compiled);
    CHECK_FALSE((*compiled)->stats().from_cache);
    CHECK(entries(dir.path).size() == static_cast<std::size_t>(level + 1));
  }
  for (int level = 0; level <= 3; ++level) {
    INFO("level " << level);
    auto compiled = jit::JitProgram::compile(
        *seed.program, jit::JitOptions{.opt_level = level, .tier_up = false, .cache_dir = dir.path.string()});
    REQUIRE(compiled);
    CHECK((*compiled)->stats().from_cache);
    CHECK((*compiled)->level() == level);
    CHECK(agrees(seed, *compiled));
  }
}

TEST_CASE("JIT object cache: a damaged entry is a miss, compiled again and replaced", "[jit][cache]") {
  const auto all = seed_policies();
  const Seed& seed = liaoyuan(all);
  TempDir dir("damaged");
  const jit::JitOptions options{.opt_level = 1, .tier_up = false, .cache_dir = dir.path.string()};
  REQUIRE(jit::JitProgram::compile(*seed.program, options));
  const auto stored = entries(dir.path);
  REQUIRE(stored.size() == 1);
  const fs::path entry = stored.front();
  const auto size = fs::file_size(entry);

  const auto damage = [&](const std::string& how) {
    if (how == "flipped") {
      std::fstream f(entry, std::ios::in | std::ios::out | std::ios::binary);
      f.seekg(static_cast<std::streamoff>(size / 2));
      char c = 0;
      f.get(c);
      f.seekp(static_cast<std::streamoff>(size / 2));
      f.put(static_cast<char>(c ^ 0x40));
    } else if (how == "truncated") {
      fs::resize_file(entry, size / 3);
    } else {  // empty
      fs::resize_file(entry, 0);
    }
  };
  for (const std::string how : {"flipped", "truncated", "empty"}) {
    INFO(how);
    damage(how);
    auto again = jit::JitProgram::compile(*seed.program, options);
    REQUIRE(again);
    CHECK_FALSE((*again)->stats().from_cache);  // the damaged object was not loaded
    CHECK(agrees(seed, *again));
    CHECK(fs::file_size(entry) == size);  // stored whole again
    auto loaded = jit::JitProgram::compile(*seed.program, options);
    REQUIRE(loaded);
    CHECK((*loaded)->stats().from_cache);
  }
}

TEST_CASE("JIT object cache: a directory that cannot be made is reported and changes nothing else", "[jit][cache]") {
  const auto all = seed_policies();
  const Seed& seed = liaoyuan(all);
  TempDir dir("unwritable");
  fs::create_directories(dir.path);
  const fs::path file = dir.path / "a-file";
  std::ofstream(file) << "not a directory";
  // A directory under a file cannot be made, even by root.
  const jit::JitOptions options{.opt_level = 1, .tier_up = false, .cache_dir = (file / "cache").string()};
  auto compiled = jit::JitProgram::compile(*seed.program, options);
  REQUIRE(compiled);
  const jit::JitStats stats = (*compiled)->stats();
  CHECK_FALSE(stats.from_cache);
  CHECK_THAT(stats.cache_error, Catch::Contains("cannot create the JIT cache directory"));
  CHECK(agrees(seed, *compiled));
}

TEST_CASE("JIT object cache: a new cache directory is its owner's alone", "[jit][cache]") {
  const auto all = seed_policies();
  const Seed& seed = liaoyuan(all);
  TempDir dir("mode");
  const fs::path cache = dir.path / "nested" / "cache";
  REQUIRE(jit::JitProgram::compile(*seed.program,
                                   jit::JitOptions{.opt_level = 1, .tier_up = false, .cache_dir = cache.string()}));
  CHECK(fs::status(cache).permissions() == fs::perms::owner_all);
  for (const fs::path& entry : entries(cache))
    CHECK((fs::status(entry).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
}
