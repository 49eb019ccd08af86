import MetronCore

/// The HTML dashboard: one self-contained file (inline CSS, SVG and a little vanilla JS; no
/// network, fonts or CDN — its Content-Security-Policy forbids them), readable with hundreds of
/// benchmarks (collapsible suites, a filter box, "problems only").
///
/// `render` is a pure function of `ReportData`: `metron report --format html` writes its output
/// and `metron serve` serves the same page live. Everything user-supplied is escaped.
public enum HTMLReport {
    /// The whole page.
    public static func render(_ data: ReportData) -> String {
        let total = data.run.benchmarks.count
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
            <meta name="generator" content="Metron \(e(data.run.metronVersion))">
            <title>\(e(data.title))</title>
            <style>\(css)</style>
            </head>
            <body data-total="\(total)">
            <header class="top">
            <div class="brand"><span class="logo">◆</span> \(e(data.title))</div>
            <div class="meta">\(runLine(data))</div>
            </header>
            <main>

            """
        html += summary(data)
        html += highlights(data)
        html += sla(data)
        html += recommendations(data)
        html += scans(data)
        html += benchmarks(data)
        html += """
            </main>
            <footer>Generated \(e(String(data.generatedAt.iso8601.prefix(19)).replacingOccurrences("T", " "))) UTC by Metron \(e(data.run.metronVersion)) · self-contained, works offline</footer>
            <script>\(script)</script>
            </body>
            </html>

            """
        return html
    }

    // MARK: Sections

    static func runLine(_ data: ReportData) -> String {
        let run = data.run
        var parts = ["Run <code>\(e(String(run.id.prefix(12))))</code>", e(String(run.startedAt.iso8601.prefix(19)).replacingOccurrences("T", " ")) + " UTC"]
        if let git = run.git {
            parts.append("commit <code>\(e(String(git.commit.prefix(10))))\(git.dirty ? "+dirty" : "")</code>" + (git.branch.map { " on \(e($0))" } ?? ""))
        }
        if let machine = run.machine {
            parts.append("\(e(machine.cpuModel)) · \(machine.logicalCores) cores · \(e(machine.os))")
        }
        if let suite = data.suite { parts.append("suite <b>\(e(suite))</b>") }
        if let name = data.baselineName, let base = data.baseline {
            parts.append("baseline <b>\(e(name))</b> (<code>\(e(String(base.id.prefix(8))))</code>, \(e(String(base.startedAt.iso8601.prefix(10)))))")
        } else {
            parts.append("no baseline")
        }
        return parts.joined(separator: " · ")
    }

    static func summary(_ data: ReportData) -> String {
        let budgets = data.budgetChecks
        let budgetFailed = budgets.filter { $0.outcome == .failed }.count
        let budgetPassed = budgets.filter { $0.outcome == .passed }.count
        let statusFailed = data.checks.filter { $0.kind == .status && $0.outcome == .failed }.count
        let passed = data.passed()
        var cards: [(String, String, String, String)] = [  // value, label, detail, class
            ("\(data.run.benchmarks.count)", "benchmarks", "\(data.suites.count) suite\(data.suites.count == 1 ? "" : "s")", ""),
            ("\(data.historyRuns.count)", "runs in history", data.historyRuns.first.map { "since " + String($0.startedAt.iso8601.prefix(10)) } ?? "", ""),
            (budgets.isEmpty ? "–" : "\(budgetPassed)/\(budgets.count)", "budgets met",
             budgets.isEmpty ? "no budgets in metron.yml" : budgetFailed == 0 ? "all within their SLA" : "\(budgetFailed) violated",
             budgets.isEmpty ? "" : budgetFailed == 0 ? "good" : "bad"),
            ("\(data.regressions.count)", "regressions", data.baseline == nil ? "no baseline" : data.regressionsSkippedForMachine ? "not judged: other machine" : "significant slowdowns",
             data.regressions.isEmpty ? "good" : "bad"),
            ("\(data.improvements.count)", "improvements", "significant speed-ups", data.improvements.isEmpty ? "" : "good"),
        ]
        if let ratio = data.comparison?.geometricMeanRatio, !data.regressionsSkippedForMachine {
            let change = ratio - 1
            cards.append((GateEvaluation.signedPercent(change), "overall vs baseline", "geometric mean of wall time", change > 0.05 ? "bad" : change < -0.05 ? "good" : ""))
        }
        if statusFailed > 0 { cards.append(("\(statusFailed)", "failed benchmarks", "did not complete", "bad")) }
        var html = "<section class=\"summary\" id=\"summary\">"
        html += "<div class=\"verdict \(passed ? "pass" : "fail")\" id=\"verdict\">\(passed ? "✔ PASS" : "✘ FAIL")<small>\(passed ? "no errors in budgets, regressions or statuses" : "\(data.checks.filter { $0.outcome == .failed && ($0.severity ?? .error) == .error }.count) error-level finding(s)")</small></div>"
        html += "<div class=\"cards\">"
        for card in cards {
            html += "<div class=\"card \(card.3)\"><div class=\"value\">\(e(card.0))</div><div class=\"label\">\(e(card.1))</div><div class=\"detail\">\(e(card.2))</div></div>"
        }
        return html + "</div></section>\n"
    }

    static func highlights(_ data: ReportData) -> String {
        guard data.comparison != nil else { return "" }
        func table(_ title: String, _ items: [MetricComparison], _ cls: String) -> String {
            var html = "<div class=\"panel\"><h3>\(title)</h3>"
            if items.isEmpty { return html + "<p class=\"muted\">None.</p></div>" }
            html += "<table class=\"mini\"><tbody>"
            for item in items.prefix(5) {
                let key = BenchmarkKey.of(name: item.benchmark, parameters: item.parameters)
                let width = min(100, abs(item.change) * 100 / max(abs(items[0].change), 1e-9) * 100 / 100)
                html += "<tr><td class=\"name\"><a href=\"#\(anchor(key))\">\(e(key))</a></td>"
                    + "<td class=\"num\">\(e(Formatting.duration(item.baseline.mean))) → \(e(Formatting.duration(item.current.mean)))</td>"
                    + "<td class=\"num \(cls)\">\(e(GateEvaluation.signedPercent(item.change)))</td>"
                    + "<td class=\"spark\"><span class=\"hbar \(cls)\" style=\"width:\(SVGChart.f(width))%\"></span></td></tr>"
            }
            return html + "</tbody></table></div>"
        }
        return "<section class=\"two\" id=\"highlights\">" + table("Biggest regressions", data.regressions, "worse")
            + table("Biggest wins", data.improvements, "better") + "</section>\n"
    }

    static func sla(_ data: ReportData) -> String {
        let checks = data.checks.filter { $0.kind != .status || $0.outcome != .passed }
        var html = "<section id=\"sla\"><h2>SLA status</h2>"
        if checks.isEmpty { return html + "<p class=\"muted\">No budgets or regression checks apply to this run.</p></section>\n" }
        let ordered = checks.sorted { rank($0) > rank($1) }
        let shown = ordered.filter { $0.outcome != .passed }
        let passedCount = ordered.count - shown.count
        // The worst first; a long tail folds away so the rest of the page stays in reach.
        let head = 12
        html += "<table class=\"grid sla\"><thead><tr><th>Benchmark</th><th>Check</th><th>Result</th><th>Status</th></tr></thead><tbody>"
        for check in shown.prefix(head) { html += slaRow(check) }
        html += "</tbody></table>"
        if shown.count > head {
            html += "<details class=\"passed\"><summary>\(shown.count - head) more finding\(shown.count - head == 1 ? "" : "s")</summary><table class=\"grid sla\"><tbody>"
            for check in shown.dropFirst(head) { html += slaRow(check) }
            html += "</tbody></table></details>"
        }
        if passedCount > 0 {
            html += "<details class=\"passed\"><summary>\(passedCount) passed check\(passedCount == 1 ? "" : "s")</summary><table class=\"grid sla\"><tbody>"
            for check in ordered where check.outcome == .passed { html += slaRow(check) }
            html += "</tbody></table></details>"
        }
        return html + "</section>\n"
    }

    static func slaRow(_ check: GateCheck) -> String {
        let (label, cls): (String, String)
        switch check.outcome {
        case .passed: (label, cls) = ("pass", "ok")
        case .note: (label, cls) = ("note", "note")
        case .notMeasured: (label, cls) = ("not measured", "muted")
        case .failed: (label, cls) = (check.severity == .warning ? "warning" : "fail", check.severity == .warning ? "warn" : "bad")
        }
        return "<tr><td class=\"name\"><a href=\"#\(anchor(check.key))\">\(e(check.key))</a></td><td>\(e(check.name))</td>"
            + "<td>\(e(check.message))</td><td><span class=\"badge \(cls)\">\(label)</span></td></tr>"
    }

    static func rank(_ check: GateCheck) -> Int {
        switch check.outcome {
        case .failed: return check.severity == .warning ? 3 : 4
        case .note: return 2
        case .notMeasured: return 1
        case .passed: return 0
        }
    }

    static func recommendations(_ data: ReportData) -> String {
        var html = "<section id=\"recommendations\"><h2>Recommendations</h2>"
        if data.recommendations.isEmpty { return html + "<p class=\"muted\">No rule found anything to improve in this run.</p></section>\n" }
        let limit = 12
        html += "<div class=\"recs\">"
        for (index, item) in data.recommendations.enumerated() {
            if index == limit { html += "</div><details class=\"more\"><summary>\(data.recommendations.count - limit) more recommendations</summary><div class=\"recs\">" }
            html += "<article class=\"rec p\(item.priority)\"><header><span class=\"prio\" title=\"priority\">P\(item.priority)</span> "
                + "<b>\(e(item.title))</b><span class=\"rule\">\(e(item.rule.rawValue))</span></header>"
                + "<div class=\"target\">" + (item.benchmarks ?? [item.benchmark]).map { "<a href=\"#\(anchor($0))\">\(e($0))</a>" }.joined(separator: ", ") + "</div>"
                + "<p>\(e(item.description))</p>"
                + "<div class=\"facts\"><span>Estimated improvement <b>\(e(Formatting.fixed(item.estimatedImprovement * 100, digits: 0)))%</b> of \(e(item.improvementOf))</span>"
                + "<span>Effort <b>\(item.effort.rawValue)</b></span></div><ol>"
            for step in item.steps { html += "<li>\(e(step))</li>" }
            html += "</ol></article>"
        }
        html += "</div>"
        if data.recommendations.count > limit { html += "</details>" }
        return html + "</section>\n"
    }

    static func scans(_ data: ReportData) -> String {
        guard !data.scans.isEmpty else { return "" }
        var html = "<section id=\"scans\"><h2>Parameter scans</h2><div class=\"scan-grid\">"
        for scan in data.scans {
            let fit = scan.fit.map { "\($0.complexity.rawValue) — \($0.summary()), R² \(Formatting.fixed($0.rSquared, digits: 3))" } ?? "not enough points to fit"
            html += "<figure class=\"scan\"><figcaption><b>\(e(scan.title))</b><span class=\"fitlabel\(scan.fit?.complexity.isSuperlinear == true ? " worse" : "")\">\(e(fit))</span></figcaption>"
                + SVGChart.scan(scan) + "</figure>"
        }
        return html + "</div></section>\n"
    }

    static func benchmarks(_ data: ReportData) -> String {
        let total = data.run.benchmarks.count
        let openByDefault = total <= 60
        var html = """
            <section id="benchmarks"><h2>Benchmarks</h2>
            <div class="toolbar"><input id="filter" type="search" placeholder="Filter benchmarks by name, suite, tag or parameter…" aria-label="Filter benchmarks" autocomplete="off">
            <label><input type="checkbox" id="problems"> problems only</label>
            <button type="button" id="expand">Expand all</button><button type="button" id="collapse">Collapse all</button>
            <span id="shown" class="muted">\(total) of \(total) benchmarks</span></div>

            """
        for (suite, results) in data.suites {
            let problems = results.filter { isProblem($0, data) }.count
            html += "<details class=\"group\" data-suite=\"\(e(suite.lowercased()))\"\(openByDefault ? " open" : "")><summary><span class=\"suite-name\">\(e(suite.isEmpty ? "(no suite)" : suite))</span>"
                + "<span class=\"count\">\(results.count) benchmark\(results.count == 1 ? "" : "s")</span>"
                + (problems > 0 ? "<span class=\"badge bad\">\(problems) with problems</span>" : "<span class=\"badge ok\">all good</span>")
                + "</summary><table class=\"grid stats\"><thead><tr><th>Benchmark</th><th>Runs</th><th>Mean ± σ</th><th>Median</th><th>p95</th>"
                + "<th>95% CI of mean</th><th>CPU</th><th>Peak memory</th><th>vs baseline</th><th>Status</th></tr></thead>"
            for result in results { html += benchmarkRows(result, data) }
            html += "</table></details>\n"
        }
        return html + "</section>\n"
    }

    static func isProblem(_ result: BenchmarkResult, _ data: ReportData) -> Bool {
        data.checks(for: result.key).contains { $0.outcome == .failed } || data.comparison(for: result.key)?.verdict == .slower
    }

    static func benchmarkRows(_ result: BenchmarkResult, _ data: ReportData) -> String {
        let key = result.key
        let wall = result.wallTime
        let comparison = data.comparison(for: key)
        let checks = data.checks(for: key)
        let search = ([key, result.suite ?? ""] + result.tags + result.parameters.map { "\($0.name)=\($0.value)" }).joined(separator: " ").lowercased()
        let problem = isProblem(result, data)
        func t(_ v: Double?) -> String { v.map { e(Formatting.duration($0)) } ?? "–" }
        var change = "<span class=\"muted\">–</span>"
        if let comparison {
            let cls = comparison.verdict == .slower ? "worse" : comparison.verdict == .faster ? "better" : "same"
            let arrow = comparison.verdict == .slower ? "▲" : comparison.verdict == .faster ? "▼" : comparison.verdict == .inconclusive ? "?" : "≈"
            change = "<span class=\"delta \(cls)\" title=\"\(e(comparison.verdict.rawValue)), p = \(e(Formatting.pValue(comparison.pValue, digits: 4)))\(e(comparison.evidence.map { "; " + $0 } ?? ""))\">\(arrow) \(e(GateEvaluation.signedPercent(comparison.change)))</span>"
        }
        let failed = checks.filter { $0.outcome == .failed }
        let status: String
        if result.status != .ok {
            status = "<span class=\"badge bad\">\(e(result.status.rawValue))</span>"
        } else if failed.contains(where: { $0.severity != .warning }) {
            status = "<span class=\"badge bad\">fail</span>"
        } else if !failed.isEmpty {
            status = "<span class=\"badge warn\">warning</span>"
        } else {
            status = "<span class=\"badge ok\">ok</span>"
        }
        let ci = wall?.meanCI.map { "[\(e(Formatting.duration($0.lower))), \(e(Formatting.duration($0.upper)))]" } ?? "–"
        let cpu = result.metric(.cpuPercent).map { e(Formatting.percent($0.statistics.mean)) } ?? "–"
        let memory = (result.metric(.peakRSSTree) ?? result.metric(.peakRSS)).map { e(Formatting.bytes($0.statistics.max)) } ?? "–"
        let name = e(result.name) + (result.parameters.isEmpty ? "" : " <span class=\"params\">\(e(BenchmarkKey.label(result.parameters)))</span>")
        var html = "<tbody class=\"bench\" id=\"\(anchor(key))\" data-search=\"\(e(search))\" data-problem=\"\(problem ? 1 : 0)\">"
        html += "<tr class=\"row\" tabindex=\"0\" aria-expanded=\"false\"><td class=\"name\"><span class=\"caret\">▸</span>\(name)</td>"
            + "<td class=\"num\">\(wall.map { "\($0.count)" } ?? "–")</td>"
            + "<td class=\"num\">\(wall.map { e(Formatting.duration($0.mean)) + " <span class=\"muted\">± " + e(Formatting.duration($0.stddev)) + "</span>" } ?? "–")</td>"
            + "<td class=\"num\">\(t(wall?.median))</td><td class=\"num\">\(t(wall?.percentiles.p95))</td><td class=\"num\">\(ci)</td>"
            + "<td class=\"num\">\(cpu)</td><td class=\"num\">\(memory)</td><td class=\"num\">\(change)</td><td>\(status)</td></tr>"
        html += "<tr class=\"detail\"><td colspan=\"10\"><div class=\"charts\">"
        let history = data.history[key] ?? []
        let baselineMean = comparison?.baseline.mean
        html += "<figure><figcaption>History (mean, 95% CI band)</figcaption>"
            + SVGChart.history(history, baselineRunID: data.baseline?.id, baselineMean: baselineMean) + "</figure>"
        html += "<figure><figcaption>Latest run: distribution</figcaption>"
            + SVGChart.distribution(result.metric(.wallTime)?.samples ?? []) + "</figure>"
        if let comparison {
            html += "<figure><figcaption>Against baseline '\(e(data.baselineName ?? ""))'</figcaption>" + SVGChart.comparison(comparison) + "</figure>"
        }
        if let diff = data.profileDiffs[result.key] {
            // As an image: the report's policy runs no script from it; the SVG's own file zooms.
            html += "<figure class=\"wide\"><figcaption>What grew since the previous profile (red grew, blue shrank)</figcaption>"
                + "<img alt=\"differential flame graph of \(e(result.name))\" style=\"width:100%\" src=\"data:image/svg+xml;charset=utf-8,\(percentEncoded(diff))\"></figure>"
        }
        html += "</div>"
        var notes: [String] = []
        if let command = result.command { notes.append("<code>\(e(command))</code>") }
        if let message = result.message { notes.append("<span class=\"bad-text\">\(e(message))</span>") }
        for check in checks where check.kind == .budget {
            notes.append("<span class=\"badge \(check.outcome == .failed ? (check.severity == .warning ? "warn" : "bad") : check.outcome == .passed ? "ok" : "muted")\">\(e(check.name))</span> \(e(check.message))")
        }
        for warning in result.warnings { notes.append("<span class=\"warn-text\">⚠ \(e(warning.message))</span>") }
        if !notes.isEmpty { html += "<ul class=\"notes\">" + notes.map { "<li>\($0)</li>" }.joined() + "</ul>" }
        html += "</td></tr></tbody>"
        return html
    }

    // MARK: Helpers

    static func e(_ text: String) -> String { HTML.escape(text) }

    /// A stable element id for a benchmark key: "b-" and a hash, since keys hold any characters.
    static func anchor(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "b-" + String(hash, radix: 36)
    }

    static let css = """
        :root{--bg:#f6f7f9;--panel:#fff;--ink:#1c2430;--muted:#6b7685;--line:#e3e7ec;--accent:#3b5bdb;--good:#2b8a3e;--bad:#c92a2a;--warn:#e67700;--band:rgba(59,91,219,.16);--bar:#748ffc}
        @media (prefers-color-scheme:dark){:root{--bg:#14171c;--panel:#1d2128;--ink:#e6e9ee;--muted:#98a2b0;--line:#2e343d;--accent:#7b93ff;--good:#51cf66;--bad:#ff6b6b;--warn:#ffa94d;--band:rgba(123,147,255,.2);--bar:#5c7cfa}}
        *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
        code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
        header.top{background:#1f2937;color:#f1f3f5;padding:14px 28px;display:flex;flex-wrap:wrap;gap:6px 24px;align-items:baseline}
        header.top .brand{font-size:18px;font-weight:650}.logo{color:#91a7ff}header.top .meta{color:#c5cbd3;font-size:13px}header.top code{color:#fff}
        main{max-width:1320px;margin:0 auto;padding:20px 28px 40px}h2{font-size:17px;margin:28px 0 10px}h3{font-size:14px;margin:0 0 8px}
        section{margin-bottom:8px}.muted{color:var(--muted)}
        .summary{display:flex;gap:14px;align-items:stretch;flex-wrap:wrap}
        .verdict{border-radius:10px;padding:16px 22px;font-size:24px;font-weight:700;color:#fff;display:flex;flex-direction:column;justify-content:center;min-width:190px}
        .verdict small{font-size:12px;font-weight:400;opacity:.9}.verdict.pass{background:var(--good)}.verdict.fail{background:var(--bad)}
        .cards{display:flex;gap:12px;flex-wrap:wrap;flex:1}.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:12px 16px;min-width:140px;flex:1;border-top:3px solid var(--line)}
        .card .value{font-size:24px;font-weight:700}.card .label{font-weight:600}.card .detail{color:var(--muted);font-size:12px}
        .card.good{border-top-color:var(--good)}.card.bad{border-top-color:var(--bad)}.card.bad .value{color:var(--bad)}
        .two{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin-top:16px}@media (max-width:900px){.two{grid-template-columns:1fr}}
        .panel{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
        table{border-collapse:collapse;width:100%}.mini td{padding:4px 6px;border-top:1px solid var(--line)}.mini tr:first-child td{border-top:0}
        .spark{width:90px}.hbar{display:block;height:8px;border-radius:4px}.hbar.worse{background:var(--bad)}.hbar.better{background:var(--good)}
        .grid{background:var(--panel);border:1px solid var(--line);border-radius:8px;overflow:hidden}
        .grid th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);background:var(--panel);position:sticky;top:0}
        .grid td{padding:7px 10px;border-top:1px solid var(--line);vertical-align:top}.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        td.name{word-break:break-word}.params{color:var(--muted)}
        .badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:var(--line);color:var(--ink);white-space:nowrap}
        .badge.ok{background:rgba(43,138,62,.14);color:var(--good)}.badge.bad{background:rgba(201,42,42,.13);color:var(--bad)}.badge.warn{background:rgba(230,119,0,.15);color:var(--warn)}.badge.note{background:rgba(59,91,219,.13);color:var(--accent)}
        .worse{color:var(--bad)}.better{color:var(--good)}.same{color:var(--muted)}.bad-text{color:var(--bad)}.warn-text{color:var(--warn)}
        details.passed,details.more{margin-top:8px}details>summary{cursor:pointer}
        .recs{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:12px}
        .rec{background:var(--panel);border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:8px;padding:12px 14px}
        .rec.p5,.rec.p4{border-left-color:var(--bad)}.rec.p3{border-left-color:var(--warn)}.rec header{display:flex;gap:8px;align-items:center}
        .prio{background:var(--ink);color:var(--panel);border-radius:4px;padding:0 6px;font-size:12px;font-weight:700}.rule{margin-left:auto;color:var(--muted);font:11px ui-monospace,monospace}
        .rec .target{font-size:12px;margin-top:2px;word-break:break-word}.rec p{margin:6px 0}.facts{display:flex;gap:18px;font-size:13px;color:var(--muted)}.facts b{color:var(--ink)}.rec ol{margin:6px 0 0;padding-left:20px}
        .scan-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:12px}
        figure{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:8px 10px}figcaption{font-size:12px;color:var(--muted);display:flex;flex-direction:column}figcaption b{color:var(--ink)}
        .fitlabel.worse{color:var(--bad);font-weight:600}
        .toolbar{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-bottom:10px;position:sticky;top:0;background:var(--bg);padding:8px 0;z-index:2}
        #filter{flex:1;min-width:260px;padding:8px 12px;border:1px solid var(--line);border-radius:8px;font-size:14px;background:var(--panel);color:var(--ink)}
        button{padding:7px 12px;border:1px solid var(--line);background:var(--panel);color:var(--ink);border-radius:8px;cursor:pointer}button:hover{border-color:var(--accent)}
        details.group{margin-bottom:10px}details.group>summary{list-style:none;display:flex;gap:12px;align-items:center;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:9px 14px;font-weight:600}
        details.group>summary::-webkit-details-marker{display:none}details.group>summary:before{content:"▸";color:var(--muted);transition:transform .15s}details.group[open]>summary:before{transform:rotate(90deg)}
        details.group[open]>summary{border-radius:8px 8px 0 0}details.group .count{color:var(--muted);font-weight:400}
        details.group>table{border-radius:0 0 8px 8px;border-top:0}
        tr.row{cursor:pointer}tr.row:hover td{background:rgba(59,91,219,.05)}.caret{display:inline-block;width:14px;color:var(--muted);transition:transform .15s}
        .bench.open .caret{transform:rotate(90deg)}tr.detail{display:none}.bench.open tr.detail{display:table-row}tr.detail>td{background:var(--bg)}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:10px}.notes{margin:8px 0 0;padding-left:18px;font-size:13px}
        svg.chart{width:100%;height:auto;display:block}svg .grid{stroke:var(--line);stroke-width:1}svg .axis{stroke:var(--muted)}
        svg .band{fill:var(--band);stroke:none}svg .line{fill:none;stroke:var(--accent);stroke-width:1.8}svg .fit{fill:none;stroke:var(--warn);stroke-width:1.6;stroke-dasharray:5 3}
        svg .dot{fill:var(--accent)}svg .last-dot{fill:var(--ink)}svg .base-dot{fill:var(--panel);stroke:var(--good);stroke-width:2.5}
        svg .baseline{stroke:var(--good);stroke-width:1.4;stroke-dasharray:4 3}svg .baseline-label{fill:var(--good)}
        svg .bar{fill:var(--bar)}svg .marker{stroke:var(--ink);stroke-width:1.4}svg .marker.p95{stroke:var(--warn);stroke-dasharray:3 2}
        svg .bar-base{fill:var(--muted);opacity:.55}svg .bar-now{fill:var(--accent)}svg .bar-now.worse{fill:var(--bad)}svg .bar-now.better{fill:var(--good)}
        svg .whisker{stroke:var(--ink);stroke-width:1.4}svg .label{fill:var(--muted);font-size:10px;font-family:system-ui,sans-serif}svg .change.worse{fill:var(--bad)}svg .change.better{fill:var(--good)}
        footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 24px}
        .hidden{display:none!important}
        """

    /// Filter box (also from the URL: #q=text&problems=1&open=1, the last expanding up to 25
    /// matching rows), problems-only, expand/collapse, row
    /// toggles. `data-ready` on <body> tells a headless browser the script ran.
    static let script = """
        (function(){
        "use strict";
        var benches=Array.prototype.slice.call(document.querySelectorAll("tbody.bench"));
        var groups=Array.prototype.slice.call(document.querySelectorAll("details.group"));
        var filter=document.getElementById("filter"),problems=document.getElementById("problems"),shown=document.getElementById("shown");
        var total=benches.length;
        function apply(){
          var q=(filter.value||"").trim().toLowerCase(),only=problems.checked,visible=0;
          var terms=q.split(/\\s+/).filter(function(t){return t.length>0;});
          benches.forEach(function(b){
            var text=b.getAttribute("data-search")||"";
            var ok=terms.every(function(t){return text.indexOf(t)>=0;})&&(!only||b.getAttribute("data-problem")==="1");
            b.classList.toggle("hidden",!ok);if(ok){visible++;}
          });
          groups.forEach(function(g){
            var any=g.querySelector("tbody.bench:not(.hidden)")!==null;
            g.classList.toggle("hidden",!any);
            if((terms.length>0||only)&&any){g.open=true;}
          });
          shown.textContent=visible+" of "+total+" benchmarks";
          document.body.setAttribute("data-visible",String(visible));
        }
        function fromHash(){
          var h=window.location.hash.replace(/^#/,"");if(h.indexOf("q=")!==0&&h.indexOf("problems=")<0){return;}
          h.split("&").forEach(function(part){
            var kv=part.split("=");var v=decodeURIComponent((kv[1]||"").replace(/\\+/g," "));
            if(kv[0]==="q"){filter.value=v;}if(kv[0]==="problems"){problems.checked=v==="1";}if(kv[0]==="open"){expandShown=v==="1";}
          });
        }
        var expandShown=false;
        function toggle(b,open){b.classList.toggle("open",open);b.querySelector("tr.row").setAttribute("aria-expanded",String(open));}
        benches.forEach(function(b){
          var row=b.querySelector("tr.row");
          row.addEventListener("click",function(ev){if(ev.target.closest("a")){return;}toggle(b,!b.classList.contains("open"));});
          row.addEventListener("keydown",function(ev){if(ev.key==="Enter"||ev.key===" "){ev.preventDefault();toggle(b,!b.classList.contains("open"));}});
        });
        document.querySelectorAll("a[href^='#b-']").forEach(function(a){
          a.addEventListener("click",function(){var b=document.getElementById(a.getAttribute("href").slice(1));
            if(b){var g=b.closest("details");if(g){g.open=true;}toggle(b,true);}});
        });
        document.getElementById("expand").addEventListener("click",function(){groups.forEach(function(g){if(!g.classList.contains("hidden")){g.open=true;}});});
        document.getElementById("collapse").addEventListener("click",function(){groups.forEach(function(g){g.open=false;});benches.forEach(function(b){toggle(b,false);});});
        filter.addEventListener("input",apply);problems.addEventListener("change",apply);
        fromHash();apply();
        if(expandShown){var open=benches.filter(function(b){return !b.classList.contains("hidden");});if(open.length<=25){open.forEach(function(b){toggle(b,true);});}}
        document.body.setAttribute("data-ready","1");
        })();
        """
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension HTMLReport {
    /// `text` for a data: URL, every byte outside the unreserved set as %XX.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
