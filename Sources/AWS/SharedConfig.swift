/// `~/.aws/credentials` and `~/.aws/config`: INI sections of `key = value`; the config file names its
/// sections `profile NAME` (except `default`).
public struct SharedConfig: Sendable {
    /// Settings by profile name; credentials-file values win over config-file values.
    public var profiles: [String: [String: String]]

    public init(credentials: String?, config: String?) {
        var profiles: [String: [String: String]] = [:]
        for (section, values) in Self.sections(config ?? "") {
            let name =
                section.hasPrefix("profile ") ? String(section.dropFirst("profile ".count)).trimmedWhitespace : section
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        for (section, values) in Self.sections(credentials ?? "") {
            profiles[section, default: [:]].merge(values) { _, new in new }
        }
        self.profiles = profiles
    }

    public func profile(_ name: String) -> [String: String]? { profiles[name] }

    static func sections(_ text: String) -> [(String, [String: String])] {
        var sections: [(String, [String: String])] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine).trimmedWhitespace
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                sections.append((String(line.dropFirst().dropLast()).trimmedWhitespace, [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "="), !sections.isEmpty else { continue }
            let key = String(line[..<equals]).trimmedWhitespace.lowercased()
            let value = String(line[line.index(after: equals)...]).trimmedWhitespace
            sections[sections.count - 1].1[key] = value
        }
        return sections
    }
}
