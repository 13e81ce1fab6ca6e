// Conversion from yaml-cpp nodes (0-based marks) to DocNode, merging, --set paths and emission.
#include "scenario/document.hpp"

#include <cctype>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "scenario/input_file.hpp"

namespace civicgrid::scenario {
namespace {

// Builds DocNodes from yaml-cpp's parser events rather than from YAML::Node, because the node API follows
// aliases without limit: `&a [*a]` is a cycle (unbounded recursion) and a 1.5 KB "billion laughs" document
// expands to gigabytes. Here every alias is a counted copy of a finished node, a cycle is an error, and a
// key written twice in one map is reported with both places (tools disagree on which one wins).
class DocumentBuilder : public YAML::EventHandler {
 public:
  DocumentBuilder(std::string file, int line_offset, std::vector<Diagnostic>& problems)
      : file_(std::move(file)), line_offset_(line_offset), problems_(problems) {
    root_.origin = {file_, line_offset_, 0};   // an empty document: a null at no particular place
  }

  // Thrown to stop at a limit; the parse functions turn it into one diagnostic.
  struct LimitReached {
    Origin at;
    std::string message;
    std::string hint;
  };

  DocNode take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    DocNode node;
    node.origin = origin(mark);
    finish(std::move(node), anchor, 1);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      throw LimitReached{origin(mark), "an alias refers to the node it is part of (a cycle)",
                         "an alias (*name) may only repeat a node that is complete where the alias stands"};
    }
    alias_nodes_ += found->second.node_count;
    if (alias_nodes_ > max_alias_nodes)
      throw LimitReached{origin(mark),
                         "aliases expand to more than " + std::to_string(max_alias_nodes) + " values",
                         "write the repeated values out, or use fewer nested aliases"};
    finish(DocNode(found->second.node), YAML::NullAnchor, found->second.node_count);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    DocNode node;
    node.kind = DocNode::Kind::scalar;
    node.scalar = value;
    node.origin = origin(mark);
    finish(std::move(node), anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(DocNode::Kind::sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(DocNode::Kind::map, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  // Far beyond any scenario (a 10,000-grid table is about 50,000 values), far below what exhausts memory.
  static constexpr std::size_t max_nodes = 4'000'000;
  static constexpr std::size_t max_alias_nodes = 100'000;
  static constexpr std::size_t max_depth = 64;

  struct Open {
    DocNode node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t node_count = 1;
    bool have_key = false;        // map: a key was read, its value is next
    std::string key;
    Origin key_origin;
    std::unordered_map<std::string, Origin> seen_keys;
  };
  struct Anchored {
    DocNode node;
    std::size_t node_count = 0;
  };

  Origin origin(const YAML::Mark& mark) const { return {file_, mark.line + 1 + line_offset_, mark.column + 1}; }

  void open(DocNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (stack_.size() >= max_depth)
      throw LimitReached{origin(mark), "values are nested more than " + std::to_string(max_depth) + " levels deep",
                         "a scenario needs a handful of levels"};
    Open frame;
    frame.node.kind = kind;
    frame.node.origin = origin(mark);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Open frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.node.is_map() && frame.have_key) {   // "key:" with nothing after it at the very end
      frame.node.entries.emplace_back(frame.key, DocNode{});
      frame.node.key_origins.push_back(frame.key_origin);
    }
    finish(std::move(frame.node), frame.anchor, frame.node_count);
  }

  void finish(DocNode node, YAML::anchor_t anchor, std::size_t node_count) {
    nodes_ += node_count;
    if (nodes_ > max_nodes)
      throw LimitReached{node.origin, "the document holds more than " + std::to_string(max_nodes) + " values",
                         "split the data into a CSV or GeoJSON file"};
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {node, node_count};
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Open& parent = stack_.back();
    parent.node_count += node_count;
    if (parent.node.is_sequence()) {
      parent.node.items.push_back(std::move(node));
      return;
    }
    if (!parent.have_key) {
      if (!node.is_scalar() && node.kind != DocNode::Kind::null) {
        problems_.push_back({node.origin.file, node.origin.line, node.origin.col, "",
                             "a key must be a single value, not a list or map", "write key: value"});
      }
      parent.key = node.scalar;
      parent.key_origin = node.origin;
      parent.have_key = true;
      return;
    }
    parent.have_key = false;
    const auto [seen, inserted] = parent.seen_keys.emplace(parent.key, parent.key_origin);
    if (!inserted) {
      problems_.push_back({parent.key_origin.file, parent.key_origin.line, parent.key_origin.col, parent.key,
                           "key '" + parent.key + "' is written twice in this map (first at line " +
                               std::to_string(seen->second.line) + ")",
                           "keep one: YAML tools disagree on which one counts"});
      return;
    }
    parent.node.entries.emplace_back(std::move(parent.key), std::move(node));
    parent.node.key_origins.push_back(parent.key_origin);
  }

  std::string file_;
  int line_offset_;
  std::vector<Diagnostic>& problems_;
  std::vector<Open> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::size_t nodes_ = 0;
  std::size_t alias_nodes_ = 0;
  DocNode root_;
};

// Parses the first document of `text`; syntax errors and limits become diagnostics.
DocNode parse_document(const std::string& text, const std::string& file, int line_offset, const Origin* report_at,
                       std::vector<Diagnostic>& problems) {
  std::istringstream stream(text);
  DocumentBuilder builder(file, line_offset, problems);
  const auto report = [&](int line, int col, const std::string& message, const std::string& hint) {
    problems.push_back({file, report_at ? report_at->line : line, report_at ? report_at->col : col, "", message, hint});
  };
  try {
    YAML::Parser parser(stream);
    parser.HandleNextDocument(builder);
  } catch (const DocumentBuilder::LimitReached& limit) {
    report(limit.at.line, limit.at.col, limit.message, limit.hint);
    return {};
  } catch (const YAML::Exception& error) {
    report(error.mark.line + 1 + line_offset, error.mark.column + 1, "YAML syntax error: " + error.msg,
           "check brackets, indentation and quotes");
    return {};
  }
  return builder.take_root();
}

bool is_index(const std::string& segment) {
  if (segment.empty()) return false;
  for (char c : segment)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

void emit(YAML::Emitter& out, const DocNode& node) {
  switch (node.kind) {
    case DocNode::Kind::null:
      out << YAML::Null;
      break;
    case DocNode::Kind::scalar:
      out << node.scalar;
      break;
    case DocNode::Kind::sequence: {
      bool flat = node.items.size() <= 32;
      for (const auto& item : node.items) flat &= item.is_scalar();
      if (flat) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : node.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    }
    case DocNode::Kind::map:
      out << YAML::BeginMap;
      for (const auto& [key, value] : node.entries) {
        out << YAML::Key << key << YAML::Value;
        emit(out, value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

const DocNode* DocNode::find(const std::string& key) const {
  for (const auto& [name, value] : entries)
    if (name == key) return &value;
  return nullptr;
}

DocNode* DocNode::find(const std::string& key) {
  for (auto& [name, value] : entries)
    if (name == key) return &value;
  return nullptr;
}

DocNode parse_yaml_text(const std::string& text, const Origin& origin, std::vector<Diagnostic>& problems) {
  if (const auto bad = first_invalid_utf8(text)) {
    problems.push_back({origin.file, origin.line, origin.col, "",
                        "not UTF-8 text at byte offset " + std::to_string(*bad), "write the value as UTF-8"});
    return {};
  }
  return parse_document(text, origin.file, origin.line > 0 ? origin.line - 1 : 0, origin.line > 0 ? &origin : nullptr,
                        problems);
}

DocNode parse_yaml_document(const std::string& text, const std::string& file, std::vector<Diagnostic>& problems) {
  return parse_document(text, file, 0, nullptr, problems);
}

DocNode parse_yaml_file(const std::string& path, std::vector<Diagnostic>& problems, const Origin& named_at,
                        const std::string& key_path) {
  const auto text = read_input_text({path, max_yaml_file_bytes, named_at, key_path}, problems);
  if (!text) return {};
  return parse_document(*text, path, 0, nullptr, problems);
}

void merge_into(DocNode& base, const DocNode& over) {
  if (!base.is_map() || !over.is_map()) {
    base = over;
    return;
  }
  for (std::size_t i = 0; i < over.entries.size(); ++i) {
    const auto& [key, value] = over.entries[i];
    if (DocNode* existing = base.find(key)) {
      merge_into(*existing, value);
    } else {
      base.entries.emplace_back(key, value);
      base.key_origins.push_back(over.key_origins[i]);
    }
  }
}

void apply_override(DocNode& root, const std::string& assignment, int index, std::vector<Diagnostic>& problems) {
  const Origin origin{"--set", index, 1};
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    problems.push_back({"--set", index, 1, "", "'" + assignment + "' is not path.to.key=value",
                        "e.g. --set run.replications=20"});
    return;
  }
  const std::string path = assignment.substr(0, equals);
  std::vector<std::string> segments;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    segments.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  DocNode* node = &root;
  std::string walked;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const std::string& segment = segments[s];
    const bool last = s + 1 == segments.size();
    if (segment.empty()) {
      problems.push_back({"--set", index, 1, path, "empty path segment", "separate keys with single dots"});
      return;
    }
    walked += (walked.empty() ? "" : ".") + segment;
    if (node->is_sequence()) {
      DocNode* next = nullptr;
      if (is_index(segment)) {
        const auto position = std::stoul(segment);
        if (position < node->items.size()) next = &node->items[position];
      } else {
        for (auto& item : node->items) {
          const DocNode* name = item.is_map() ? (item.find("name") ? item.find("name") : item.find("type")) : nullptr;
          if (name != nullptr && name->is_scalar() && name->scalar == segment) next = &item;
        }
      }
      if (next == nullptr) {
        problems.push_back({"--set", index, 1, walked, "no list item '" + segment + "'",
                            "use an index from 0 to " + std::to_string(node->items.size()) +
                                " (exclusive) or the item's name/type"});
        return;
      }
      node = next;
      continue;
    }
    if (node->kind == DocNode::Kind::null) {
      node->kind = DocNode::Kind::map;
      node->origin = origin;
    }
    if (!node->is_map()) {
      problems.push_back({"--set", index, 1, walked, "cannot descend into a single value", "check the path"});
      return;
    }
    DocNode* next = node->find(segment);
    if (next == nullptr) {
      node->entries.emplace_back(segment, DocNode{});
      node->key_origins.push_back(origin);
      next = &node->entries.back().second;
      next->origin = origin;
    }
    node = next;
    if (last) break;
  }
  const std::string value = assignment.substr(equals + 1);
  DocNode parsed = parse_yaml_text(value, origin, problems);
  // Every node of an override points at the override, whatever line yaml-cpp saw inside the value.
  std::vector<DocNode*> stack{&parsed};
  while (!stack.empty()) {
    DocNode* current = stack.back();
    stack.pop_back();
    current->origin = origin;
    for (auto& key_origin : current->key_origins) key_origin = origin;
    for (auto& item : current->items) stack.push_back(&item);
    for (auto& entry : current->entries) stack.push_back(&entry.second);
  }
  if (value.empty()) {
    parsed.kind = DocNode::Kind::scalar;
    parsed.scalar = "";
  }
  *node = parsed;
}

std::string emit_yaml(const DocNode& root, const std::string& header) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, root);
  std::string text;
  if (!header.empty()) text += header;
  text += out.c_str();
  text += "\n";
  return text;
}

}  // namespace civicgrid::scenario
