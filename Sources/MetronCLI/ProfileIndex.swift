import Foundation
import MetronCore
import MetronReport

/// The profiles `metron profile` stored under `.metron/profiles/NAME/TIMESTAMP/`, for
/// `recommend`, `report` and `serve` to name hot frames and draw what grew.
enum ProfileIndex {
    static let defaultFolder = ".metron/profiles"

    /// Every readable profile by name, newest first. A profile.json that cannot be read is
    /// skipped (a profile being written, or one of another version).
    static func stored(in folder: String = defaultFolder) -> [String: [ProfileSummary]] {
        let files = FileManager.default
        guard let names = try? files.contentsOfDirectory(atPath: folder) else { return [:] }
        let decoder = JSONDecoder()
        var found: [String: [ProfileSummary]] = [:]
        for name in names {
            let base = (folder as NSString).appendingPathComponent(name)
            for stamp in (try? files.contentsOfDirectory(atPath: base)) ?? [] {
                let directory = (base as NSString).appendingPathComponent(stamp)
                guard let data = files.contents(atPath: directory + "/profile.json"),
                      var summary = try? decoder.decode(ProfileSummary.self, from: data) else { continue }
                summary.folder = directory
                found[summary.name, default: []].append(summary)
            }
        }
        return found.mapValues { $0.sorted { $0.startedAt > $1.startedAt } }
    }

    /// The newest profile by name.
    static func latest(in folder: String = defaultFolder) -> [String: ProfileSummary] {
        stored(in: folder).compactMapValues(\.first)
    }

    /// For each of `names` with two stored profiles or more: the newest drawn against the one
    /// before it (`FlameGraph`'s differential graph), for the report of a regression.
    static func diffs(for names: Set<String>, in folder: String = defaultFolder) -> [String: String] {
        var diffs: [String: String] = [:]
        for (name, profiles) in stored(in: folder) where names.contains(name) {
            let readable = profiles.lazy.compactMap { summary -> (ProfileSummary, FoldedStacks)? in
                guard let folder = summary.folder, let data = FileManager.default.contents(atPath: folder + "/cpu.folded"),
                      let stacks = try? FoldedStacks.parse(folded: String(decoding: data, as: UTF8.self)) else { return nil }
                return (summary, stacks)
            }.prefix(2)
            let pair = Array(readable)
            guard pair.count == 2 else { continue }
            diffs[name] = FlameGraph.svg(pair[0].1, title: "CPU: \(name), \(pair[0].0.startedAt.prefix(16)) against "
                                         + "\(pair[1].0.startedAt.prefix(16))", baseline: pair[1].1)
        }
        return diffs
    }
}
