// object_cache.cpp: the JIT's objects on disk (object_cache.h).
#include "object_cache.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>

namespace yibao::jit {
namespace {

// An entry: the object's bytes, then its SHA-256, then this tag (which also
// names the layout, so that a change of layout makes old entries misses).
constexpr std::string_view kTrailerTag = "YBJITOB1";
constexpr std::size_t kDigestSize = 32;
constexpr std::size_t kTrailerSize = kDigestSize + kTrailerTag.size();

std::array<std::uint8_t, kDigestSize> digest_of(const char* data, std::size_t size) {
  return llvm::SHA256::hash(llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data), size));
}

std::string entry_path(const std::string& dir, const std::string& key) {
  return (std::filesystem::path(dir) / (key + ".o")).string();
}

// Writes all of `size` bytes to `fd`; false on an error.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string object_cache_key(const llvm::Module& module, const llvm::TargetMachine& machine, int level) {
  llvm::SHA256 hash;
  const auto part = [&hash](llvm::StringRef text) {
    // Each part with its length, so that no two different lists of parts
    // hash the same bytes.
    const std::string length = std::to_string(text.size()) + ":";
    hash.update(length);
    hash.update(text);
  };
  part(kTrailerTag);
  part(LLVM_VERSION_STRING);
  part(machine.getTargetTriple().str());
  part(machine.getTargetCPU());
  part(machine.getTargetFeatureString());
  part(std::to_string(level));
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, nullptr);
  os.flush();
  part(text);
  return llvm::toHex(hash.final(), /*LowerCase=*/true);
}

std::unique_ptr<llvm::MemoryBuffer> load_cached_object(const std::string& dir, const std::string& key) {
  auto file = llvm::MemoryBuffer::getFile(entry_path(dir, key), /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!file) return nullptr;
  const llvm::StringRef bytes = (*file)->getBuffer();
  if (bytes.size() <= kTrailerSize || !bytes.endswith(llvm::StringRef(kTrailerTag.data(), kTrailerTag.size())))
    return nullptr;
  const std::size_t size = bytes.size() - kTrailerSize;
  const auto want = digest_of(bytes.data(), size);
  if (std::memcmp(want.data(), bytes.data() + size, kDigestSize) != 0) return nullptr;
  return llvm::MemoryBuffer::getMemBufferCopy(bytes.substr(0, size), key);
}

std::string store_cached_object(const std::string& dir, const std::string& key, llvm::MemoryBufferRef object) {
  std::error_code error;
  const bool created = std::filesystem::create_directories(dir, error);
  if (error) return "cannot create the JIT cache directory " + dir + ": " + error.message();
  // Owner only, when this process made it (an existing directory is left
  // as its owner set it).
  if (created)
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace,
                                 error);
  const std::string path = entry_path(dir, key);
  // A temporary name of this process and call, renamed over the entry once
  // whole: readers see no entry or a whole one, and two writers of the same
  // key each rename a whole copy.
  static std::atomic<unsigned> serial{0};
  const std::string temporary =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial.fetch_add(1));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write to the JIT cache " + dir + ": " + std::strerror(errno);
  const llvm::StringRef bytes = object.getBuffer();
  const auto digest = digest_of(bytes.data(), bytes.size());
  const bool written = write_all(fd, bytes.data(), bytes.size()) &&
                       write_all(fd, reinterpret_cast<const char*>(digest.data()), digest.size()) &&
                       write_all(fd, kTrailerTag.data(), kTrailerTag.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return "cannot write to the JIT cache " + dir + ": " + reason;
  }
  return "";
}

}  // namespace yibao::jit
