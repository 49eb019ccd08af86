import Foundation
import Testing
@testable import MetronRunner

/// Against real repositories made for each test with the git on this machine.
@Suite("Git facts of a run")
struct GitInfoCollectorTests {
    private func git(_ arguments: String..., in directory: String) throws -> String {
        let output = try #require(ProcessCapture.run(
            ["git", "-C", directory, "-c", "user.name=Metron", "-c", "user.email=metron@example.invalid"] + arguments))
        try #require(output.status == 0, "git \(arguments.joined(separator: " ")) failed")
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func repository() throws -> String {
        let directory = Workload.temporaryPath("git")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = try git("init", "-q", "-b", "trunk", in: directory)
        return directory
    }

    /// A repository with one commit of a tracked file `a.txt`; returns it and the commit.
    private func committedRepository() throws -> (directory: String, head: String) {
        let directory = try repository()
        try "one\n".write(toFile: directory + "/a.txt", atomically: true, encoding: .utf8)
        _ = try git("add", "a.txt", in: directory)
        _ = try git("commit", "-q", "-m", "first", in: directory)
        return (directory, try git("rev-parse", "HEAD", in: directory))
    }

    @Test("commit, branch and a clean tree; a modified tracked file makes it dirty, an untracked one does not")
    func commitBranchDirty() throws {
        let (directory, head) = try committedRepository()
        let clean = try #require(GitInfoCollector.collect(directory: directory))
        #expect(clean == .init(commit: head, branch: "trunk", dirty: false))

        try "untracked\n".write(toFile: directory + "/new.txt", atomically: true, encoding: .utf8)
        #expect(GitInfoCollector.collect(directory: directory)?.dirty == false)

        try "two\n".write(toFile: directory + "/a.txt", atomically: true, encoding: .utf8)
        #expect(GitInfoCollector.collect(directory: directory) == .init(commit: head, branch: "trunk", dirty: true))
    }

    @Test("a detached HEAD has a commit and no branch")
    func detached() throws {
        let (directory, head) = try committedRepository()
        _ = try git("checkout", "-q", "--detach", in: directory)
        #expect(GitInfoCollector.collect(directory: directory) == .init(commit: head, branch: nil, dirty: false))
    }

    @Test("no facts before the first commit or outside a repository")
    func noCommit() throws {
        let directory = try repository()
        #expect(GitInfoCollector.collect(directory: directory) == nil)
        let plain = Workload.temporaryPath("plain")
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        #expect(GitInfoCollector.collect(directory: plain) == nil)
    }
}
