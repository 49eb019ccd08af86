import Foundation
import MetronCore

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
