/// Where a value falls relative to Tukey's fences.
public enum OutlierKind: String, Codable, Sendable {
    /// Below Q1 − 3·IQR.
    case lowSevere
    /// Below Q1 − 1.5·IQR but not below Q1 − 3·IQR.
    case lowMild
    /// Within the inner fences.
    case none
    /// Above Q3 + 1.5·IQR but not above Q3 + 3·IQR.
    case highMild
    /// Above Q3 + 3·IQR.
    case highSevere
}

/// Tukey's fences around the interquartile range: values beyond 1.5·IQR from the nearer quartile
/// are mild outliers, values beyond 3·IQR severe ones. "Beyond" is strict: a value exactly on a
/// fence is on the inner side.
///
/// Metron takes Q1 and Q3 as the type-7 (numpy default) 25th and 75th percentiles; see
/// `percentile(sorted:_:)`.
public struct TukeyFences: Sendable, Equatable {
    /// Q1 − 3·IQR.
    public var lowSevere: Double
    /// Q1 − 1.5·IQR.
    public var lowMild: Double
    /// Q3 + 1.5·IQR.
    public var highMild: Double
    /// Q3 + 3·IQR.
    public var highSevere: Double

    public init(q1: Double, q3: Double) {
        let iqr = q3 - q1
        lowSevere = q1 - 3 * iqr
        lowMild = q1 - 1.5 * iqr
        highMild = q3 + 1.5 * iqr
        highSevere = q3 + 3 * iqr
    }

    /// The fences of a sample sorted in ascending order.
    ///
    /// - Precondition: `sorted` is non-empty.
    public init(sorted: [Double]) {
        self.init(q1: percentile(sorted: sorted, 25), q3: percentile(sorted: sorted, 75))
    }

    /// Which side of which fence `x` is on. A severe outlier is only `.lowSevere`/`.highSevere`,
    /// never also mild. NaN is `.none`.
    public func classify(_ x: Double) -> OutlierKind {
        if x < lowSevere { return .lowSevere }
        if x < lowMild { return .lowMild }
        if x > highSevere { return .highSevere }
        if x > highMild { return .highMild }
        return .none
    }
}

/// How many samples fall into each outlier class of `TukeyFences`. Each sample is counted at most
/// once: a severe outlier is not also counted as mild.
public struct OutlierCounts: Codable, Sendable, Equatable {
    public var lowSevere: Int
    public var lowMild: Int
    public var highMild: Int
    public var highSevere: Int

    public init(lowSevere: Int = 0, lowMild: Int = 0, highMild: Int = 0, highSevere: Int = 0) {
        self.lowSevere = lowSevere
        self.lowMild = lowMild
        self.highMild = highMild
        self.highSevere = highSevere
    }

    /// Counts `samples` (in any order) against `fences`.
    public init(samples: [Double], fences: TukeyFences) {
        self.init()
        for x in samples {
            switch fences.classify(x) {
            case .lowSevere: lowSevere += 1
            case .lowMild: lowMild += 1
            case .none: break
            case .highMild: highMild += 1
            case .highSevere: highSevere += 1
            }
        }
    }

    /// All outliers, mild and severe, on both sides.
    public var total: Int { lowSevere + lowMild + highMild + highSevere }
}
