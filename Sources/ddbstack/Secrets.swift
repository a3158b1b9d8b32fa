import Report
import Synchronization
import Template

/// The NoEcho parameter values of the templates this run has read. Everything the executable writes — stdout,
/// stderr, `--output` — passes through `mask`, so no command or format shows one, as CloudFormation shows `****`.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
enum Secrets {
    /// Shorter values are not masked: replacing every "1" or "id" would corrupt the output without hiding anything
    /// worth hiding.
    static let minimumLength = 4
    private static let values = Mutex<[String]>([])

    static func register(_ resolved: ResolvedTemplate) {
        let found = resolved.secretValues.filter { $0.count >= minimumLength }
        guard !found.isEmpty else { return }
        values.withLock { known in
            for value in found where !known.contains(value) { known.append(value) }
            // Longest first, so a secret that contains another is masked whole.
            known.sort { $0.count > $1.count }
        }
    }

    /// `text` with every registered value — as written, JSON-escaped or XML-escaped — replaced by `****`.
    static func mask(_ text: String) -> String {
        let known = values.withLock { $0 }
        guard !known.isEmpty else { return text }
        var masked = text
        for value in known {
            for form in Set([value, JSONWriter.escaped(value), JUnitRenderer.escape(value)]) where masked.contains(form)
            {
                masked = masked.replacing(form, with: "****")
            }
        }
        return masked
    }
}
