#include "cibgraph/input.hpp"

#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "cibgraph/error.hpp"

namespace cibgraph {

InputBuffer::InputBuffer(const std::string& path, std::size_t block_bytes) : path_(path), block_(block_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError({path, 0, {}}, "no such file");
  if (std::filesystem::is_directory(path, ec)) throw InputError({path, 0, {}}, "is a directory, not a file");
  file_size_ = std::filesystem::file_size(path, ec);
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw InputError({path, 0, {}}, "cannot open: " + std::string(std::strerror(errno)));
    unsigned char magic[2] = {0, 0};
    probe.read(reinterpret_cast<char*>(magic), 2);
    compressed_ = probe.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  }
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) throw InputError({path, 0, {}}, "cannot open: " + std::string(std::strerror(errno)));
  gzbuffer(gz, 1 << 18);
  gz_ = gz;
  buf_.resize(block_);
}

InputBuffer::~InputBuffer() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
}

bool InputBuffer::fill() {
  if (eof_) return false;
  // Move the unconsumed tail to the front, then make room for one more block.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() - end_ < block_) buf_.resize(end_ + block_);
  std::size_t got_total = 0;
  while (got_total < block_) {
    const int got = gzread(static_cast<gzFile>(gz_), buf_.data() + end_, static_cast<unsigned>(block_ - got_total));
    if (got < 0) {
      int errnum = 0;
      const char* msg = gzerror(static_cast<gzFile>(gz_), &errnum);
      throw InputError({path_, 0, {}}, std::string(compressed_ ? "corrupt or truncated gzip data: " : "read error: ") +
                                           (msg ? msg : "unknown"));
    }
    if (got == 0) {
      // zlib reports a gzip stream cut short only through gzerror.
      int errnum = 0;
      const char* msg = gzerror(static_cast<gzFile>(gz_), &errnum);
      if (errnum != Z_OK && errnum != Z_STREAM_END)
        throw InputError({path_, 0, {}}, std::string("corrupt or truncated gzip data: ") + (msg ? msg : ""));
      eof_ = true;
      break;
    }
    end_ += static_cast<std::size_t>(got);
    got_total += static_cast<std::size_t>(got);
  }
  return got_total > 0;
}

void InputBuffer::skip_line() {
  while (true) {
    const std::string_view d = data();
    if (const void* hit = std::memchr(d.data(), '\n', d.size())) {
      consume(static_cast<std::size_t>(static_cast<const char*>(hit) - d.data()) + 1);
      return;
    }
    consume(d.size());
    if (!fill()) return;
  }
}

std::uint64_t InputBuffer::file_offset() const {
  if (!gz_) return 0;
  const auto off = gzoffset(static_cast<gzFile>(gz_));
  return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

}  // namespace cibgraph
