// A YAML document in which every node remembers the file, line and column it came from. yaml-cpp's own nodes
// lose that once two files are merged, and error messages must point into the file that wrote the value:
// the scenario, its model, or a --set override.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenario/loader.hpp"

namespace civicgrid::scenario {

struct Origin {
  std::string file;
  int line = 0;   // 1-based
  int col = 0;
};

struct DocNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;
  std::vector<DocNode> items;                           // sequence
  std::vector<std::pair<std::string, DocNode>> entries; // map, in file order
  std::vector<Origin> key_origins;                      // map: where each key is written
  Origin origin;

  bool is_map() const { return kind == Kind::map; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  const DocNode* find(const std::string& key) const;
  DocNode* find(const std::string& key);
};

// Parses a file (read through input_file.hpp: a regular UTF-8 file of at most max_yaml_file_bytes); on a syntax
// error, a limit (alias expansion, depth, size) or a file that cannot be used adds a diagnostic and returns a
// null node. `named_at` and `key_path` say where another file names this one (the scenario's `model:`).
DocNode parse_yaml_file(const std::string& path, std::vector<Diagnostic>& problems, const Origin& named_at = {},
                        const std::string& key_path = "");
DocNode parse_yaml_text(const std::string& text, const Origin& origin, std::vector<Diagnostic>& problems);
// The text of a whole file already read (input_file.hpp), positions in `file`: for readers that go on with
// yaml-cpp's own nodes once the limits, duplicate keys and syntax have been checked here.
DocNode parse_yaml_document(const std::string& text, const std::string& file, std::vector<Diagnostic>& problems);

// Maps merge key by key, recursively; anything else in `over` replaces what `base` had.
void merge_into(DocNode& base, const DocNode& over);

// Applies "path.to.key=value"; `index` is its 1-based position among the overrides (for diagnostics).
void apply_override(DocNode& root, const std::string& assignment, int index, std::vector<Diagnostic>& problems);

// Block-style YAML of the document (short lists of scalars in flow style); `header` is written as comments.
std::string emit_yaml(const DocNode& root, const std::string& header);

}  // namespace civicgrid::scenario
