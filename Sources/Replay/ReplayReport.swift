import Foundation

/// Finds dialogue files and renders results for people and for CI.
public enum ReplayReport {
    /// The dialogue files under the given files and folders, folders searched recursively, sorted.
    public static func dialogueFiles(in paths: [String]) throws -> [URL] {
        var files: [URL] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw DialogueFileError(file: path, line: 0, column: 0, field: "", message: "no such file or folder", snippet: "")
            }
            if isDirectory.boolValue {
                let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
                while let item = enumerator?.nextObject() as? URL {
                    if ["yaml", "yml"].contains(item.pathExtension) && !item.path.contains("/fixtures/") { files.append(item) }
                }
            } else {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// One line per dialogue, details for each failure.
    public static func text(for result: DialogueResult, relativeTo base: String) -> String {
        let file = relative(result.file, to: base)
        if let error = result.error { return "✘ \(file)\n    \(error.replacingOccurrences(of: "\n", with: "\n    "))" }
        if let reason = result.skipped { return "– \(file) — skipped: \(reason)" }
        if result.passed { return "✔ \(file) — \(result.name) (\(result.turns) turns)" }
        var lines = ["✘ \(file) — \(result.name)"]
        for failure in result.failures {
            lines.append("    \(file):\(failure.line) \(failure.description)")
        }
        return lines.joined(separator: "\n")
    }

    /// The closing line: "N passed, N failed", with "N skipped" between when some were.
    public static func summary(_ results: [DialogueResult]) -> String {
        let passed = results.filter(\.passed).count
        let skipped = results.filter { $0.skipped != nil }.count
        return "\(passed) passed, " + (skipped > 0 ? "\(skipped) skipped, " : "") + "\(results.filter(\.failed).count) failed"
    }

    /// JUnit XML: one test case per dialogue.
    public static func junit(_ results: [DialogueResult], relativeTo base: String) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let failed = results.filter(\.failed).count
        let time = results.reduce(0) { $0 + $1.seconds }
        var xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        xml.append("<testsuite name=\"dialogues\" tests=\"\(results.count)\" failures=\"\(failed)\" time=\"\(String(format: "%.3f", time))\">")
        for result in results {
            let file = relative(result.file, to: base)
            xml.append("  <testcase classname=\"dialogues\" name=\"\(escape(file))\" time=\"\(String(format: "%.3f", result.seconds))\">")
            if let reason = result.skipped {
                xml.append("    <skipped message=\"\(escape(reason))\"/>")
            } else if result.failed {
                let body = result.error ?? result.failures.map { "\(file):\($0.line) \($0.description)" }.joined(separator: "\n")
                xml.append(
                    "    <failure message=\"\(escape(result.error == nil ? "\(result.failures.count) assertion(s) failed" : "unreadable dialogue"))\">\(escape(body))</failure>"
                )
            }
            xml.append("  </testcase>")
        }
        xml.append("</testsuite>")
        return xml.joined(separator: "\n") + "\n"
    }

    static func relative(_ path: String, to base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
