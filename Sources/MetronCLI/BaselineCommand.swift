import ArgumentParser
import Foundation
import MetronCore
import MetronExec
import MetronStore

struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Name stored runs as baselines to compare against.",
        subcommands: [Save.self, List.self])

    struct Save: AsyncParsableCommand {
        // Every command names itself: ArgumentParser would otherwise derive the name from the
        // type through reflection (String(describing:)) on every invocation of metron.
        static let configuration = CommandConfiguration(
            commandName: "save", abstract: "Name a stored run (default: the latest) as a baseline.")

        @Argument(help: "Baseline name, e.g. main or release-1.2.")
        var name: String

        @Argument(help: "Run id (or unique prefix), or a git ref or commit with a stored run; default: the latest run.")
        var run: String?

        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else {
                throw ValidationError("baseline names use letters, digits and - _ . /")
            }
            // "latest" always means the newest run, so a baseline of that name could never be reached.
            guard name != "latest" else { throw ValidationError("'latest' names the newest run; choose another baseline name") }
        }

        func run() async throws {
            try await storeOptions.withStore { store in
            let report: RunReport?
            if let run {
                if let byID = try await store.run(id: run) {
                    report = byID
                } else {
                    report = try await store.run(commit: GitRef.commit(for: run) ?? run)
                }
            } else {
                report = try await store.latestRun(suite: nil)
            }
            guard let report else {
                throw UsageFailure(run.map { "no stored run matches '\($0)'" } ?? "the store has no runs yet")
            }
            try await store.saveBaseline(name: name, runID: report.id)
            print("Baseline '\(name)' → run \(report.id.prefix(8)) (\(report.startedAt.iso8601.prefix(19)), commit \(report.git?.commit.prefix(10) ?? "-"))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List baselines.")

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            try await storeOptions.withStore { store in
            let baselines = try await store.baselines()
            guard !baselines.isEmpty else {
                print("No baselines yet (metron baseline save NAME).")
                return
            }
            var table = TextTable(header: ["baseline", "run", "saved (UTC)"])
            for baseline in baselines {
                table.add([baseline.name, String(baseline.runID.prefix(8)), String(baseline.createdAt.iso8601.prefix(19))])
            }
            print(table.render())
            }
        }
    }
}
