// SHA-256 through OpenSSL's EVP interface (the low-level SHA256_* functions are deprecated in OpenSSL 3).
#include "cibgraph/sha256.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "cibgraph/error.hpp"

namespace cibgraph {

void Sha256::ContextFree::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) throw Error("OpenSSL: cannot start SHA-256");
}

void Sha256::update(const void* data, std::size_t size) {
  if (!ctx_) throw Error("SHA-256 updated after hex_digest()");
  if (size > 0 && EVP_DigestUpdate(ctx_.get(), data, size) != 1) throw Error("OpenSSL: SHA-256 update failed");
}

std::string Sha256::hex_digest() {
  if (!ctx_) throw Error("SHA-256 finished twice");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const int status = EVP_DigestFinal_ex(ctx_.get(), digest, &length);
  ctx_.reset();
  if (status != 1) throw Error("OpenSSL: cannot finish SHA-256");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * static_cast<std::size_t>(length), '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
  return out;
}

namespace {

SourceLocation in_file(const std::string& path) { return SourceLocation{path, 0, {}}; }

struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

std::string sha256_file(const std::string& path) {
  errno = 0;
  std::unique_ptr<std::FILE, FileClose> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw InputError(in_file(path), std::string("cannot open: ") + std::strerror(errno));
  Sha256 digest;
  std::vector<unsigned char> block(std::size_t{1} << 20);
  for (;;) {
    const std::size_t got = std::fread(block.data(), 1, block.size(), file.get());
    digest.update(block.data(), got);
    if (got < block.size()) {
      // fread on a directory or a failing disk returns short with the error flag set.
      if (std::ferror(file.get())) throw InputError(in_file(path), std::string("cannot read: ") + std::strerror(errno));
      break;
    }
  }
  return digest.hex_digest();
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes);
  return digest.hex_digest();
}

}  // namespace cibgraph
