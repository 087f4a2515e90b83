// The overload-set helper for std::visit over event variants.
#pragma once

namespace jobledger {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace jobledger
