/// The percentiles Metron reports for every metric, all computed with `percentile(sorted:_:)`
/// (linear interpolation between closest ranks, numpy's default).
public struct Percentiles: Codable, Sendable, Equatable {
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var p999: Double

    public init(p25: Double, p50: Double, p75: Double, p90: Double, p95: Double, p99: Double, p999: Double) {
        self.p25 = p25
        self.p50 = p50
        self.p75 = p75
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.p999 = p999
    }

    /// The percentiles of a sample sorted in ascending order.
    ///
    /// - Precondition: `sorted` is non-empty.
    public init(sorted: [Double]) {
        self.init(
            p25: percentile(sorted: sorted, 25), p50: percentile(sorted: sorted, 50),
            p75: percentile(sorted: sorted, 75), p90: percentile(sorted: sorted, 90),
            p95: percentile(sorted: sorted, 95), p99: percentile(sorted: sorted, 99),
            p999: percentile(sorted: sorted, 99.9))
    }
}

/// The `p`-th percentile (`p` in 0...100) of a sample sorted in ascending order.
///
/// Method: linear interpolation between closest ranks — Hyndman & Fan (1996) definition 7, the
/// default of numpy (`np.percentile(x, p, method="linear")`), R (`quantile(type = 7)`) and Excel's
/// `PERCENTILE.INC`. With `n` values `x[0] ≤ … ≤ x[n-1]`, the virtual index is
/// `h = (n - 1) · p / 100`; the result is `x[⌊h⌋] + (h - ⌊h⌋) · (x[⌊h⌋ + 1] - x[⌊h⌋])`
/// (just `x[n-1]` when `h ≥ n - 1`). So `p = 0` gives the minimum, `p = 100` the maximum and
/// `p = 50` the median (the mean of the two middle values for even `n`). The interpolation is
/// evaluated the way numpy evaluates it (from the upper neighbour when the fraction is ≥ ½), so
/// results agree with numpy to the last bit or so.
///
/// - Precondition: `sorted` is non-empty and sorted ascending; `p` is in `0...100`.
public func percentile(sorted: [Double], _ p: Double) -> Double {
    precondition(!sorted.isEmpty, "percentile of an empty sample")
    precondition(p >= 0 && p <= 100, "percentile \(p) is outside 0...100")
    return sorted.withUnsafeBufferPointer { percentile(sortedBuffer: $0, p) }
}

/// `percentile(sorted:_:)` on a buffer, without the argument checks.
@inline(__always)
func percentile(sortedBuffer x: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
    let n = x.count
    let h = Double(n - 1) * (p / 100)
    let floor = h.rounded(.down)
    let i = Int(floor)
    if i >= n - 1 { return x[n - 1] }
    return interpolate(x[i], x[i + 1], h - floor)
}

/// `a + t · (b - a)` for `t` in 0...1, computed like numpy's `_lerp`: from the nearer end, so
/// that `t = 0` gives `a` and `t = 1` gives `b` exactly.
@inline(__always)
func interpolate(_ a: Double, _ b: Double, _ t: Double) -> Double {
    let difference = b - a
    return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
}

/// `percentile(sorted:_:)` of `values` at `lower` and at `upper` (`lower ≤ upper`), without
/// sorting them: each needs only the order statistics at ⌊h⌋ and ⌊h⌋ + 1, which selection finds
/// in linear time. The bootstrap takes two percentiles of 10,000 resampled statistics, where
/// sorting them was a fifth of its time. Reorders `values`; the results are the same numbers the
/// sorted values give.
func percentiles(selectingIn values: UnsafeMutableBufferPointer<Double>, lower: Double, upper: Double) -> (Double, Double) {
    precondition(!values.isEmpty && lower <= upper, "percentiles of an empty sample, or bounds out of order")
    let n = values.count
    var start = 0
    func percentile(_ p: Double) -> Double {
        let h = Double(n - 1) * (p / 100)
        let floor = h.rounded(.down)
        let i = Int(floor)
        if i >= n - 1 {
            select(values, n - 1, from: start)
            return values[n - 1]
        }
        select(values, i, from: start)
        start = i
        var next = values[i + 1]
        for j in (i + 2)..<n where values[j] < next { next = values[j] }
        return interpolate(values[i], next, h - floor)
    }
    let low = percentile(lower)
    return (low, percentile(upper))
}

/// Moves the `k`-th smallest of `x[from...]` to `x[k]`, smaller-or-equal values before it and
/// greater-or-equal ones after it (Hoare's selection, median-of-three pivots).
private func select(_ x: UnsafeMutableBufferPointer<Double>, _ k: Int, from start: Int) {
    var low = start
    var high = x.count - 1
    while high > low {
        let middle = low + (high - low) / 2
        if x[middle] < x[low] { x.swapAt(middle, low) }
        if x[high] < x[low] { x.swapAt(high, low) }
        if x[high] < x[middle] { x.swapAt(high, middle) }
        let pivot = x[middle]
        var i = low
        var j = high
        while i <= j {
            while i <= high && x[i] < pivot { i += 1 }
            while j >= low && pivot < x[j] { j -= 1 }
            if i <= j {
                x.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if k <= j {
            high = j
        } else if k >= i {
            low = i
        } else {
            return  // j < k < i: x[k] equals the pivot and is in place
        }
    }
}
