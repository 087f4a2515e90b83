// Finding, replacing and removing id-keyed entries of a repeated proto field.
#pragma once

#include <algorithm>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace jobledger {

// The entry whose `id_of(entry)` equals `id`, or nullptr.
template <typename T, typename IdOf>
const T* FindEntry(const google::protobuf::RepeatedPtrField<T>& entries, absl::string_view id,
                   IdOf id_of) {
  for (const T& entry : entries) {
    if (id_of(entry) == id) return &entry;
  }
  return nullptr;
}

template <typename T, typename IdOf>
T* FindMutableEntry(google::protobuf::RepeatedPtrField<T>& entries, absl::string_view id,
                    IdOf id_of) {
  for (T& entry : entries) {
    if (id_of(entry) == id) return &entry;
  }
  return nullptr;
}

// Replaces the entry with the same id, or appends it.
template <typename T, typename IdOf>
void UpsertEntry(google::protobuf::RepeatedPtrField<T>& entries, const T& entry, IdOf id_of) {
  if (T* existing = FindMutableEntry(entries, id_of(entry), id_of)) {
    *existing = entry;
  } else {
    *entries.Add() = entry;
  }
}

// Removes the entry with `id`, keeping the others' order; false when there is none.
template <typename T, typename IdOf>
bool RemoveEntry(google::protobuf::RepeatedPtrField<T>& entries, absl::string_view id, IdOf id_of) {
  for (int i = 0; i < entries.size(); ++i) {
    if (id_of(entries.Get(i)) == id) {
      entries.erase(entries.begin() + i);
      return true;
    }
  }
  return false;
}

// Sorts the values and drops repeats (tags, skills): one order for equal sets, so that equal
// records are equal bytes.
inline void SortUnique(google::protobuf::RepeatedPtrField<std::string>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace jobledger
