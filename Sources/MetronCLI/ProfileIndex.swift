import Foundation
import MetronCore
import MetronReport

/// The profiles `metron profile` stored under `.metron/profiles/NAME/TIMESTAMP/`: the newest of
/// each name, for `recommend` and `report` to name hot frames.
enum ProfileIndex {
    static let defaultFolder = ".metron/profiles"

    /// Newest profile by name; empty when there is no such folder. A profile.json that cannot be
    /// read is skipped (a profile being written, or one of another version).
    static func latest(in folder: String = defaultFolder) -> [String: ProfileSummary] {
        let files = FileManager.default
        guard let names = try? files.contentsOfDirectory(atPath: folder) else { return [:] }
        let decoder = JSONDecoder()
        var found: [String: ProfileSummary] = [:]
        for name in names {
            let base = (folder as NSString).appendingPathComponent(name)
            for stamp in ((try? files.contentsOfDirectory(atPath: base)) ?? []).sorted().reversed() {
                let directory = (base as NSString).appendingPathComponent(stamp)
                guard let data = files.contents(atPath: directory + "/profile.json"),
                      var summary = try? decoder.decode(ProfileSummary.self, from: data) else { continue }
                summary.folder = directory
                if let known = found[summary.name], known.startedAt >= summary.startedAt { break }
                found[summary.name] = summary
                break
            }
        }
        return found
    }
}

extension ProfileIndex {
    /// For each of `names` with two stored profiles or more: the newest drawn against the one
    /// before it (`FlameGraph`'s differential graph), for the report of a regression.
    static func diffs(for names: Set<String>, in folder: String = defaultFolder) -> [String: String] {
        let files = FileManager.default
        let decoder = JSONDecoder()
        var diffs: [String: String] = [:]
        guard let entries = try? files.contentsOfDirectory(atPath: folder) else { return [:] }
        for entry in entries {
            let base = (folder as NSString).appendingPathComponent(entry)
            var found: [(summary: ProfileSummary, stacks: FoldedStacks)] = []
            for stamp in ((try? files.contentsOfDirectory(atPath: base)) ?? []).sorted().reversed() where found.count < 2 {
                let directory = (base as NSString).appendingPathComponent(stamp)
                guard let data = files.contents(atPath: directory + "/profile.json"),
                      let summary = try? decoder.decode(ProfileSummary.self, from: data), names.contains(summary.name),
                      let folded = files.contents(atPath: directory + "/cpu.folded"),
                      let stacks = try? FoldedStacks.parse(folded: String(decoding: folded, as: UTF8.self)) else { continue }
                found.append((summary, stacks))
            }
            guard found.count == 2, let name = found.first?.summary.name else { continue }
            diffs[name] = FlameGraph.svg(found[0].stacks, title: "CPU: \(name), \(found[0].summary.startedAt.prefix(16)) against "
                                         + "\(found[1].summary.startedAt.prefix(16))", baseline: found[1].stacks)
        }
        return diffs
    }
}
