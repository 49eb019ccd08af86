import Dispatch
import FoundationEssentials
import Glibc
import MetronCore

/// The git state of a directory: commit, branch, dirty flag; nil outside a repository, before
/// the first commit, or without git.
public enum GitInfoCollector {
    /// One `git status --porcelain=v2 --branch` answers all three (three separate git calls cost
    /// ~5 ms on every `metron` invocation). `--no-optional-locks`: reading the state must not
    /// take the index lock from a git command the user runs meanwhile.
    /// `willStart` and `didStart` see the git process start (`ProcessCapture.run`).
    public static func collect(directory: String = FileManager.default.currentDirectoryPath,
                               willStart: () -> Bool = { true }, didStart: (pid_t?) -> Void = { _ in }) -> GitInfo? {
        guard mayBeInRepository(directory) else { return nil }
        let arguments = ["git", "--no-optional-locks", "-C", directory,
                         "status", "--porcelain=v2", "--branch", "--untracked-files=no"]
        guard let output = ProcessCapture.run(arguments, willStart: willStart, didStart: didStart),
              output.status == 0 else { return nil }
        return parse(porcelainV2: output.stdout)
    }

    /// False when no directory from `directory` up to `/` holds a `.git` (a folder, or a file in
    /// worktrees and submodules) and git is not pointed elsewhere by GIT_DIR: then there is no
    /// repository, and the git process (~1.5 ms on every invocation) is not worth starting.
    static func mayBeInRepository(_ directory: String) -> Bool {
        if getenv("GIT_DIR") != nil { return true }
        var path = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        while true {
            if access(path + "/.git", F_OK) == 0 { return true }
            guard let slash = path.lastIndex(of: "/"), path != "/" else { return false }
            path = slash == path.startIndex ? "/" : String(path[..<slash])
        }
    }

    /// Parses `git status --porcelain=v2 --branch`: `# branch.oid` is the commit (`(initial)`
    /// before the first one), `# branch.head` the branch (`(detached)` without one), and any
    /// line that is not a header is a change to a tracked file.
    static func parse(porcelainV2 text: String) -> GitInfo? {
        var commit: String?
        var branch: String?
        var dirty = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# branch.oid ") {
                commit = String(line.dropFirst("# branch.oid ".count))
            } else if line.hasPrefix("# branch.head ") {
                branch = String(line.dropFirst("# branch.head ".count))
            } else if !line.hasPrefix("#") {
                dirty = true
            }
        }
        guard let commit, commit != "(initial)", !commit.isEmpty else { return nil }
        return GitInfo(commit: commit, branch: branch == "(detached)" ? nil : branch, dirty: dirty)
    }
}

/// The facts a run records about where it ran — the git state and the machine fingerprint —
/// collected on worker threads, so that the git process (~2.5 ms, far more in a large tree) and
/// the reads of /proc and /sys (~0.5 ms) run beside Metron's own start-up work instead of adding
/// to it. The git process is a worker thread's child, not the main thread's, so the runner never
/// takes it for an orphan of a measured tree.
///
/// git never runs beside a measured run, and nothing waits for it before one: when it has not
/// finished by the first measured run (`clearForMeasuring`), it is killed and run again after the
/// last one (`measuringEnded`), beside the statistics. The facts then describe the tree as it was
/// after the runs instead of before them.
public final class BackgroundFacts: @unchecked Sendable {
    private let directory: String
    // `started`, `gitProcess` and `gitDeferred` under the lock; `git` and `machineInfo` are
    // written before their group is left and read after it has been.
    private let lock = DispatchSemaphore(value: 1)
    private let gitDone = DispatchGroup()
    private let machineDone = DispatchGroup()
    private var started = false
    private var gitProcess: pid_t?
    private var gitDeferred = false
    private var git: GitInfo?
    private var machineInfo: MachineInfo?

    public init(directory: String = FileManager.default.currentDirectoryPath) {
        self.directory = directory
    }

    /// Starts the collection; later calls do nothing.
    public func start() {
        lock.wait()
        defer { lock.signal() }
        guard !started else { return }
        started = true
        collectGit()
        // Queues of their own, not the global queue: those get a thread each at once (they target
        // the overcommitting pool), where global tasks wait for a free worker of the two a 2-core
        // machine allows, one of which runs `exec` itself. The machine facts then waited for git.
        DispatchQueue(label: "metron.facts.machine").async(group: machineDone) { [self] in
            machineInfo = MachineInfoCollector.collect()
        }
    }

    private func collectGit() {
        let directory = self.directory
        DispatchQueue(label: "metron.facts.git").async(group: gitDone) { [self] in
            // The lock is held from the decision to start git until its pid is known, so that
            // `clearForMeasuring` either finds the process to kill or keeps it from starting.
            let info = GitInfoCollector.collect(
                directory: directory,
                willStart: {
                    lock.wait()
                    let deferred = gitDeferred
                    if deferred { lock.signal() }
                    return !deferred
                },
                didStart: { pid in
                    gitProcess = pid
                    lock.signal()
                })
            lock.wait()
            gitProcess = nil
            lock.signal()
            git = info
        }
    }

    /// Call right before a measured run: afterwards no git process runs until `measuringEnded`.
    /// Facts already read are kept; a git still running is killed, to run again after measuring.
    public func clearForMeasuring() {
        start()
        if gitDone.wait(timeout: .now()) == .success { return }
        lock.wait()
        gitDeferred = true
        if let gitProcess { kill(-gitProcess, SIGKILL) }
        lock.signal()
        gitDone.wait()
    }

    /// Call after the last measured run: git runs again if `clearForMeasuring` stopped it.
    public func measuringEnded() {
        lock.wait()
        defer { lock.signal() }
        guard gitDeferred else { return }
        gitDeferred = false
        collectGit()
    }

    /// The git facts; starts the collection if nothing did and waits for them. Measuring has
    /// ended when this is called.
    public func wait() -> GitInfo? {
        start()
        measuringEnded()
        gitDone.wait()
        return git
    }

    /// The machine fingerprint; starts the collection if nothing did and waits for it.
    public func machine() -> MachineInfo {
        start()
        machineDone.wait()
        return machineInfo!
    }
}
