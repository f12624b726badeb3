#pragma once
// Buffered reading of an input file, plain or gzip (detected from the magic bytes, not the name), in large
// blocks. Parsers ask for more bytes while keeping the unconsumed tail. The buffer itself grows as asked; the
// readers on top of it bound it (CsvReader's max_record_bytes, the JSONL reader's oversized-record check, skip_line
// for what they reject), so that hostile input (an endless record) cannot exhaust memory.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cibgraph {

class InputBuffer {
 public:
  // Opens path; throws InputError when it is missing or unreadable.
  InputBuffer(const std::string& path, std::size_t block_bytes = 1 << 20);
  ~InputBuffer();
  InputBuffer(const InputBuffer&) = delete;
  InputBuffer& operator=(const InputBuffer&) = delete;

  // The bytes read and not yet consumed.
  std::string_view data() const { return {buf_.data() + begin_, end_ - begin_}; }
  // Drops the first n bytes of data().
  void consume(std::size_t n) { begin_ += n; }
  // Reads at least one more block (keeping data()); false at end of file. Throws InputError on a read or
  // gzip error (corrupt or truncated stream).
  bool fill();
  bool eof() const { return eof_; }
  // Consumes through the next line break (or to the end of the file), reading block by block: an endless line
  // is skipped without ever being held in memory.
  void skip_line();

  const std::string& path() const { return path_; }
  bool compressed() const { return compressed_; }
  // Bytes of the file on disk consumed so far (compressed bytes for gzip) and the file's size.
  std::uint64_t file_offset() const;
  std::uint64_t file_size() const { return file_size_; }

 private:
  std::string path_;
  void* gz_ = nullptr;  // gzFile
  bool compressed_ = false;
  bool eof_ = false;
  std::uint64_t file_size_ = 0;
  std::size_t block_;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;
};

}  // namespace cibgraph
