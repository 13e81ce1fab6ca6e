// xoshiro256** (Blackman & Vigna, 2018) seeded through splitmix64, and samplers built only on uniform01(),
// std::log, std::exp, std::sqrt and std::cos, which IEEE-754 platforms compute alike for our purposes.
#include "city/random.hpp"

#include <cmath>
#include <numbers>

namespace civicgrid::city {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t stream_name_hash(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

RandomStream::RandomStream(std::uint64_t master_seed, std::string_view stream_name, std::uint64_t replication) {
  std::uint64_t mix = master_seed;
  std::uint64_t key = splitmix64(mix) ^ stream_name_hash(stream_name);
  mix = key;
  key = splitmix64(mix) ^ (replication * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
  mix = key;
  for (auto& word : state_) word = splitmix64(mix);
}

std::uint64_t RandomStream::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double RandomStream::exponential(double mean) { return -mean * std::log(uniform_open0()); }

double RandomStream::standard_normal() {
  // Box-Muller, one value per call: two uniforms, no cached state to make the sequence order-dependent.
  const double radius = std::sqrt(-2.0 * std::log(uniform_open0()));
  return radius * std::cos(2.0 * std::numbers::pi * uniform01());
}

double RandomStream::gamma(double shape, double scale) {
  // Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; shape < 1 by boosting.
  if (shape < 1.0) return gamma(shape + 1.0, scale) * std::pow(uniform_open0(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    double x = 0;
    double v = 0;
    do {
      x = standard_normal();
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = uniform_open0();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v * scale;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v * scale;
  }
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  // Lemire's multiply-shift with rejection.
  while (true) {
    const unsigned __int128 product = static_cast<unsigned __int128>(next_u64()) * n;
    const auto low = static_cast<std::uint64_t>(product);
    if (low >= n || low >= (-n) % n) return static_cast<std::uint64_t>(product >> 64);
  }
}

double sample_duration_s(const scenario::Distribution& distribution, RandomStream& stream) {
  using scenario::DistributionKind;
  switch (distribution.kind) {
    case DistributionKind::exponential:
      return stream.exponential(distribution.mean_s);
    case DistributionKind::fixed:
      return distribution.mean_s;
    case DistributionKind::uniform:
      return stream.uniform(distribution.min_s, distribution.max_s);
    case DistributionKind::lognormal: {
      const double ratio = distribution.sd_s / distribution.mean_s;
      const double sigma2 = std::log1p(ratio * ratio);
      const double mu = std::log(distribution.mean_s) - sigma2 / 2;
      return std::exp(mu + std::sqrt(sigma2) * stream.standard_normal());
    }
    case DistributionKind::gamma:
      return stream.gamma(distribution.shape, distribution.mean_s / distribution.shape);
    case DistributionKind::erlang: {
      // Sum of k exponential phases; logs summed rather than uniforms multiplied to avoid underflow.
      const int phases = static_cast<int>(distribution.shape);
      double log_sum = 0;
      for (int i = 0; i < phases; ++i) log_sum += std::log(stream.uniform_open0());
      return -distribution.mean_s / phases * log_sum;
    }
  }
  return distribution.mean_s;
}

}  // namespace civicgrid::city
