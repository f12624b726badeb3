#pragma once
// SHA-256 digests, as lowercase hex: provenance records every input file's digest, and the HDF5 store seals each file
// it writes with the digest of its bytes.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace cibgraph {

// The digest of the file's bytes as stored on disk, read in 1 MiB blocks. Throws InputError naming the file when it
// cannot be opened or read.
std::string sha256_file(const std::string& path);

// The digest of bytes.
std::string sha256_hex(std::string_view bytes);

// A digest computed piece by piece, for bytes that are being read anyway (e.g. while parsing a file).
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Finishes the digest; call once, after the last update.
  std::string hex_digest();

 private:
  struct ContextFree {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, ContextFree> ctx_;
};

}  // namespace cibgraph
