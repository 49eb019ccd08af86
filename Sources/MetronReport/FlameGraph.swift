import MetronCore

/// A CPU profile drawn as a flame graph: one self-contained SVG (no network, no external script)
/// that zooms into a frame on click, searches frame names, and shows each frame's samples and
/// share in its tooltip. With a baseline profile it is a differential flame graph: each frame of
/// the current profile coloured by how its share of the samples moved — red grew, blue shrank,
/// the deeper the colour the larger the move.
public enum FlameGraph {
    /// One frame of the merged tree: its samples (inclusive) and where they start among its
    /// siblings' (`start`, in samples from the left edge of the whole graph).
    struct Node {
        var name: String
        var path: [String]
        var samples: Int
        var start: Int
        var depth: Int
    }

    static let width = 1200.0
    static let rowHeight = 17.0
    static let top = 44.0

    /// The SVG document. `title` heads it; `baseline` makes it differential; `unit` names what a
    /// stack's weight counts (perf's samples, callgrind's instructions).
    public static func svg(_ profile: FoldedStacks, title: String, baseline: FoldedStacks? = nil,
                           unit: ProfileSummary.Weight = .samples) -> String {
        let nodes = layout(profile)
        let total = max(profile.totalSamples, 1)
        let depth = (nodes.map(\.depth).max() ?? 0) + 1
        let height = top + Double(depth) * rowHeight + 30
        let baselineShares = baseline.map(pathShares)
        let currentShares = pathShares(profile)
        var out = """
            <?xml version="1.0" standalone="no"?>
            <svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" data-total="\(total)" font-family="Verdana, sans-serif" font-size="12">
            <style>
            .frame rect { stroke: #fff; stroke-width: 0.5; }
            .frame:hover rect { stroke: #000; }
            .frame text { pointer-events: none; fill: #000; }
            .frame.matched rect { fill: #e040fb !important; }
            .button { cursor: pointer; fill: #225; }
            #details { fill: #000; }
            </style>
            <rect x="0" y="0" width="100%" height="100%" fill="#fafaf5"/>
            <text x="\(Int(width / 2))" y="20" text-anchor="middle" font-size="16">\(HTML.escape(title))</text>
            <text id="reset" class="button" x="10" y="20" visibility="hidden">Reset zoom</text>
            <text id="search" class="button" x="\(Int(width) - 110)" y="20">Search</text>
            <text id="matched" x="\(Int(width) - 110)" y="36"></text>
            <text id="details" x="10" y="\(Int(height) - 10)"> </text>

            """
        for node in nodes {
            let x = Double(node.start) / Double(total) * width
            let w = Double(node.samples) / Double(total) * width
            guard w >= 0.1 else { continue }
            let y = height - 30 - Double(node.depth + 1) * rowHeight
            let share = Double(node.samples) / Double(total)
            var tip = "\(node.name) (\(unit.describe(node.samples)), \(percent(share)))"
            let fill: String
            if let baselineShares {
                let before = baselineShares[node.path] ?? 0
                let now = currentShares[node.path] ?? 0
                tip += before == 0 ? "; new since the baseline" : "; baseline \(percent(before)), \(signedPoints(now - before))"
                fill = diffColour(now - before)
            } else {
                fill = warmColour(node.name)
            }
            let rect = "<rect x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(w))\" height=\"\(fixed(rowHeight - 1))\" fill=\"\(fill)\"/>"
            let text = "<text x=\"\(fixed(x + 3))\" y=\"\(fixed(y + rowHeight - 5))\" data-name=\"\(HTML.escape(node.name))\">"
                + HTML.escape(label(node.name, width: w)) + "</text>"
            let group = "<g class=\"frame\" data-start=\"\(node.start)\" data-samples=\"\(node.samples)\" data-depth=\"\(node.depth)\">"
            out += group + "<title>" + HTML.escape(tip) + "</title>" + rect + text + "</g>\n"
        }
        out += "<script type=\"text/ecmascript\"><![CDATA[\n\(script)\n]]></script>\n</svg>\n"
        return out
    }

    /// Merged stacks as frames, parents before children, siblings by name so that the same
    /// profile always draws the same.
    static func layout(_ profile: FoldedStacks) -> [Node] {
        final class Tree {
            var samples = 0
            var children: [String: Tree] = [:]
        }
        let root = Tree()
        for (stack, count) in profile.counts {
            var node = root
            node.samples += count
            for frame in stack {
                let child = node.children[frame] ?? Tree()
                node.children[frame] = child
                child.samples += count
                node = child
            }
        }
        var nodes: [Node] = []
        func walk(_ tree: Tree, path: [String], start: Int, depth: Int) {
            var offset = start
            for (name, child) in tree.children.sorted(by: { $0.key < $1.key }) {
                nodes.append(Node(name: name, path: path + [name], samples: child.samples, start: offset, depth: depth))
                walk(child, path: path + [name], start: offset, depth: depth + 1)
                offset += child.samples
            }
        }
        walk(root, path: [], start: 0, depth: 0)
        return nodes
    }

    /// Each stack prefix's share of the samples.
    static func pathShares(_ profile: FoldedStacks) -> [[String]: Double] {
        let total = Double(max(profile.totalSamples, 1))
        var shares: [[String]: Double] = [:]
        for (stack, count) in profile.counts {
            for length in 1...max(stack.count, 1) where length <= stack.count {
                shares[Array(stack.prefix(length)), default: 0] += Double(count) / total
            }
        }
        return shares
    }

    static func percent(_ share: Double) -> String { Formatting.fixed(share * 100, digits: 2) + " %" }

    static func signedPoints(_ delta: Double) -> String {
        (delta >= 0 ? "+" : "−") + Formatting.fixed(abs(delta) * 100, digits: 2) + " points"
    }

    static func fixed(_ value: Double) -> String { Formatting.fixed(value, digits: 1) }

    /// The name cut to what fits in `width` pixels (about 7 per character at 12 px).
    static func label(_ name: String, width: Double) -> String {
        let fits = Int((width - 6) / 7)
        if fits < 3 { return "" }
        return name.count <= fits ? name : String(name.prefix(fits - 2)) + ".."
    }

    /// Flame colours, the same for the same name (a stable hash, not Swift's seeded one).
    static func warmColour(_ name: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let r = 205 + Int(hash % 50), g = Int((hash >> 8) % 180), b = Int((hash >> 16) % 55)
        return "rgb(\(r),\(g),\(b))"
    }

    /// Red for growth, blue for shrinkage, white for none; full colour at ±10 points.
    static func diffColour(_ delta: Double) -> String {
        let strength = min(abs(delta) / 0.10, 1)
        let fade = Int(235 - 175 * strength)
        return delta >= 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
    }

    /// Zoom, search and details; plain DOM calls, no library.
    static let script = """
        var svg = document.querySelector('svg'), total = +svg.getAttribute('data-total'), W = \(Int(width));
        var frames = Array.prototype.slice.call(document.querySelectorAll('g.frame'));
        function fit(g, x, w) {
          var r = g.querySelector('rect'), t = g.querySelector('text'), name = t.getAttribute('data-name');
          r.setAttribute('x', x.toFixed(1)); r.setAttribute('width', Math.max(w, 0).toFixed(1));
          t.setAttribute('x', (x + 3).toFixed(1));
          var fits = Math.floor((w - 6) / 7);
          t.textContent = fits < 3 ? '' : (name.length <= fits ? name : name.substring(0, fits - 2) + '..');
        }
        function zoom(target) {
          var s = +target.getAttribute('data-start'), n = +target.getAttribute('data-samples'), d = +target.getAttribute('data-depth');
          frames.forEach(function (g) {
            var gs = +g.getAttribute('data-start'), gn = +g.getAttribute('data-samples'), gd = +g.getAttribute('data-depth');
            var inside = gs >= s && gs + gn <= s + n && gd >= d, above = gd < d && gs <= s && gs + gn >= s + n;
            g.style.display = inside || above ? '' : 'none';
            if (above) fit(g, 0, W); else if (inside) fit(g, (gs - s) / n * W, gn / n * W);
          });
          document.getElementById('reset').setAttribute('visibility', 'visible');
        }
        function reset() {
          frames.forEach(function (g) {
            g.style.display = '';
            fit(g, +g.getAttribute('data-start') / total * W, +g.getAttribute('data-samples') / total * W);
          });
          document.getElementById('reset').setAttribute('visibility', 'hidden');
        }
        function search(term) {
          var matched = 0, seen = [];
          frames.forEach(function (g) {
            var name = g.querySelector('text').getAttribute('data-name');
            var hit = term !== '' && name.indexOf(term) >= 0;
            g.classList.toggle('matched', hit);
            if (hit) {
              var s = +g.getAttribute('data-start'), n = +g.getAttribute('data-samples');
              // Count each sample once: skip frames inside one already counted.
              if (!seen.some(function (r) { return s >= r[0] && s + n <= r[0] + r[1]; })) { seen.push([s, n]); matched += n; }
            }
          });
          document.getElementById('matched').textContent = term === '' ? '' : 'Matched: ' + (matched / total * 100).toFixed(1) + ' %';
          return matched;
        }
        frames.forEach(function (g) {
          g.addEventListener('click', function () { zoom(g); });
          g.addEventListener('mouseover', function () {
            document.getElementById('details').textContent = g.querySelector('title').textContent;
          });
        });
        document.getElementById('reset').addEventListener('click', reset);
        document.getElementById('search').addEventListener('click', function () {
          var term = window.prompt('Search frames for', ''); if (term !== null) search(term);
        });
        window.metronFlameGraph = { zoom: zoom, reset: reset, search: search, frames: frames };
        """
}
