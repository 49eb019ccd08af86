/// What a stored profile (`metron profile`, its `profile.json`) says about a benchmark: enough for
/// recommendations to name the hot frames instead of telling users to go and profile.
public struct ProfileSummary: Codable, Sendable, Equatable {
    public struct Frame: Codable, Sendable, Equatable {
        public var name: String
        /// Share of the samples with the frame as the leaf (its own time), and anywhere on the stack.
        public var selfShare: Double
        public var totalShare: Double

        public init(name: String, selfShare: Double, totalShare: Double) {
            self.name = name
            self.selfShare = selfShare
            self.totalShare = totalShare
        }
    }

    /// What a stack's weight counts: perf's samples of the cpu-clock, or the instructions
    /// callgrind counted (exact, deterministic).
    public enum Weight: String, Codable, Sendable {
        case samples, instructions

        /// "1 sample", "120.1 M instructions".
        public func describe(_ count: Int) -> String {
            self == .samples ? Formatting.counted(count, "sample") : "\(Formatting.count(Double(count))) instructions"
        }
    }

    /// The benchmark (suite-qualified name) or the command's program name.
    public var name: String
    public var command: String
    /// The profile's total weight, in `weight` units.
    public var samples: Int
    /// nil in profiles from before instruction profiles: samples.
    public var weight: Weight?
    /// Most self time first.
    public var hottest: [Frame]
    public var heapPeakBytes: Int64?
    /// ISO 8601.
    public var startedAt: String
    /// The folder holding the profile's files (set when read, not stored).
    public var folder: String?

    public init(name: String, command: String, samples: Int, weight: Weight = .samples, hottest: [Frame], heapPeakBytes: Int64? = nil,
                startedAt: String, folder: String? = nil) {
        self.name = name
        self.command = command
        self.samples = samples
        self.weight = weight
        self.hottest = hottest
        self.heapPeakBytes = heapPeakBytes
        self.startedAt = startedAt
        self.folder = folder
    }

    public init(_ profile: FoldedStacks, weight: Weight = .samples, name: String, command: String, heapPeakBytes: Int64?, startedAt: String) {
        self.init(name: name, command: command, samples: profile.totalSamples, weight: weight,
                  hottest: profile.hottest(10).map { Frame(name: $0.frame, selfShare: $0.exclusive, totalShare: $0.inclusive) },
                  heapPeakBytes: heapPeakBytes, startedAt: startedAt)
    }

    /// "parse (42 %), hash (20 %), memcpy (9 %)": the frames with at least `minimum` of the samples.
    public func hotFrames(limit: Int = 3, minimum: Double = 0.05) -> String {
        hottest.filter { $0.selfShare >= minimum }.prefix(limit)
            .map { "\(Formatting.printable($0.name)) (\(Formatting.fixed($0.selfShare * 100, digits: 0)) %)" }.joined(separator: ", ")
    }
}
