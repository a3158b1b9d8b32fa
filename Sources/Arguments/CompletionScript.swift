/// Shell completion scripts written from the same specs the parser reads, so they offer exactly the commands,
/// options and values the program accepts. Names and choices are plain words (letters, digits, hyphens); help text
/// is quoted for the shell that shows it.
extension Program {
    public func completionScript(for shell: Shell) -> String {
        switch shell {
        case .bash: return BashCompletion(program: self).script()
        case .zsh: return ZshCompletion(program: self).script()
        }
    }
}

/// `complete -F`: the command word picks the options; the word before the cursor picks a value's completion.
/// https://www.gnu.org/software/bash/manual/html_node/Programmable-Completion-Builtins.html
struct BashCompletion {
    let program: Program

    func script() -> String {
        let function = "_" + program.name.replacing("-", with: "_")
        let topLevel = program.commands.map(\.name) + ["help", "--help", "--version", "--generate-completion-script"]
        var lines = [
            "# Bash completion for \(program.name): source <(\(program.name) --generate-completion-script bash)",
            "\(function)() {",
            "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
            "    # COMP_WORDBREAKS splits --name=value into '--name' '=' 'value'.",
            "    if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then prev=${COMP_WORDS[COMP_CWORD-2]}; fi",
            "    COMPREPLY=()",
            "    if ((COMP_CWORD == 1)); then",
            "        \(words(topLevel))",
            "        return",
            "    fi",
            "    case ${COMP_WORDS[1]} in",
        ]
        for command in program.commands { lines += branch(command) }
        lines += [
            "    help) ((COMP_CWORD == 2)) && \(words(program.commands.map(\.name))) ;;",
            "    --generate-completion-script) ((COMP_CWORD == 2)) && \(words(Shell.allCases.map(\.rawValue))) ;;",
            "    esac",
            "}",
            "complete -o filenames -F \(function) \(program.name)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private func branch(_ command: CommandSpec) -> [String] {
        var lines = ["    \(command.name))", "        case $prev in"]
        for option in command.options where option.arity != .flag {
            lines.append("        \(option.flag)) \(values(option))return ;;")
        }
        let positional = command.positionals.contains { $0.completion == .file } ? "compgen -f -- \"$cur\"" : ""
        lines += [
            "        esac",
            "        if [[ $cur == -* ]]; then",
            "            \(words(command.options.map(\.flag) + ["--help"]))",
        ]
        if !positional.isEmpty { lines += ["        else", "            COMPREPLY=($(\(positional)))"] }
        return lines + ["        fi", "        ;;"]
    }

    private func values(_ option: OptionSpec) -> String {
        if let choices = option.choices { return words(choices) + "; " }
        switch option.completion {
        case .file: return "COMPREPLY=($(compgen -f -- \"$cur\")); "
        case .directory: return "COMPREPLY=($(compgen -d -- \"$cur\")); "
        case .none: return ""
        }
    }

    private func words(_ words: [String]) -> String {
        "COMPREPLY=($(compgen -W '\(words.joined(separator: " "))' -- \"$cur\"))"
    }
}

/// `_arguments` specs, one set per command.
/// https://zsh.sourceforge.io/Doc/Release/Completion-System.html#Completion-Functions
struct ZshCompletion {
    let program: Program

    func script() -> String {
        let function = "_" + program.name.replacing("-", with: "_")
        var lines = [
            "#compdef \(program.name)",
            "# Zsh completion for \(program.name): source <(\(program.name) --generate-completion-script zsh)",
            "\(function)() {",
            "    local context state state_descr line",
            "    typeset -A opt_args",
            "    _arguments -C \\",
            "        '(- *)--version[Show the version.]' \\",
            "        '(- *)--generate-completion-script=[Print a completion script.]:shell:(\(Shell.allCases.map(\.rawValue).joined(separator: " ")))' \\",
            "        '(- *)'{-h,--help}'[Show this help.]' \\",
            "        '1:command:->command' \\",
            "        '*::argument:->argument'",
            "    case $state in",
            "    command)",
            "        local -a commands",
            "        commands=(",
        ]
        for command in program.commands { lines.append("            \(quote(command.name + ":" + command.abstract))") }
        lines += [
            "            'help:Show the help of a command.'",
            "        )",
            "        _describe -t commands command commands",
            "        ;;",
            "    argument)",
            "        case $words[1] in",
        ]
        for command in program.commands { lines += branch(command) }
        lines += [
            "        help) _arguments '1:command:(\(program.commands.map(\.name).joined(separator: " ")))' ;;",
            "        esac",
            "        ;;",
            "    esac",
            "}",
            "if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then \(function) \"$@\"; else compdef \(function) \(program.name); fi",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private func branch(_ command: CommandSpec) -> [String] {
        var specs = command.options.map(spec)
        specs.append("'(- *)'{-h,--help}'[Show this help.]'")
        for (index, positional) in command.positionals.enumerated() {
            let action = positional.completion == .file ? "_files" : " "
            specs.append(quote("\(index + 1):\(positional.isOptional ? ":" : "")\(positional.name):\(action)"))
        }
        return ["        \(command.name))", "            _arguments \\"]
            + specs.enumerated().map { "                \($1)" + ($0 < specs.count - 1 ? " \\" : "") }
            + ["            ;;"]
    }

    private func spec(_ option: OptionSpec) -> String {
        let help =
            "[" + option.help.replacing("\\", with: "\\\\").replacing("[", with: "\\[").replacing("]", with: "\\]")
            + "]"
        let repeatable = option.arity == .repeated ? "*" : ""
        guard option.arity != .flag else { return quote(repeatable + option.flag + help) }
        let action: String
        if let choices = option.choices {
            action = "(" + choices.joined(separator: " ") + ")"
        } else {
            switch option.completion {
            case .file: action = "_files"
            case .directory: action = "_files -/"
            case .none: action = " "
            }
        }
        return quote("\(repeatable)\(option.flag)=\(help):\(option.valueName):\(action)")
    }

    /// A single-quoted zsh word.
    private func quote(_ text: String) -> String { "'" + text.replacing("'", with: "'\\''") + "'" }
}
