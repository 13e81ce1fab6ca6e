// Conversion from yaml-cpp nodes (0-based marks) to DocNode, merging, --set paths and emission.
#include "scenario/document.hpp"

#include <cctype>
#include <fstream>

#include <yaml-cpp/yaml.h>

namespace civicgrid::scenario {
namespace {

DocNode convert(const YAML::Node& node, const std::string& file, int line_offset) {
  DocNode doc;
  const YAML::Mark mark = node.Mark();
  doc.origin = {file, mark.line + 1 + line_offset, mark.column + 1};
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      doc.kind = DocNode::Kind::scalar;
      doc.scalar = node.Scalar();
      break;
    case YAML::NodeType::Sequence:
      doc.kind = DocNode::Kind::sequence;
      for (const auto& item : node) doc.items.push_back(convert(item, file, line_offset));
      break;
    case YAML::NodeType::Map:
      doc.kind = DocNode::Kind::map;
      for (const auto& entry : node) {
        const YAML::Mark key_mark = entry.first.Mark();
        doc.entries.emplace_back(entry.first.Scalar(), convert(entry.second, file, line_offset));
        doc.key_origins.push_back({file, key_mark.line + 1 + line_offset, key_mark.column + 1});
      }
      break;
    default:
      doc.kind = DocNode::Kind::null;
  }
  return doc;
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
  try {
    return convert(YAML::Load(text), origin.file, origin.line > 0 ? origin.line - 1 : 0);
  } catch (const YAML::Exception& error) {
    problems.push_back({origin.file, origin.line > 0 ? origin.line : error.mark.line + 1,
                        origin.line > 0 ? origin.col : error.mark.column + 1, "", "YAML syntax error: " + error.msg,
                        "check brackets, indentation and quotes"});
    return {};
  }
}

DocNode parse_yaml_file(const std::string& path, std::vector<Diagnostic>& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({path, 0, 0, "", "cannot open file", "check the path (relative paths start at the file that names them)"});
    return {};
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return convert(YAML::Load(text), path, 0);
  } catch (const YAML::Exception& error) {
    problems.push_back({path, error.mark.line + 1, error.mark.column + 1, "", "YAML syntax error: " + error.msg,
                        "check brackets, indentation and quotes"});
    return {};
  }
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
