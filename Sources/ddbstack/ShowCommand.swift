import Arguments
import Report

/// `ddbstack show TEMPLATE`: the resolved typed model.
struct ShowCommand: Command {
    static let spec = CommandSpec(
        "show", abstract: "Print the resolved model of every table.", positionals: [TemplateOptions.templateArgument],
        options: TemplateOptions.options + OutputOptions.options)

    var input: TemplateOptions
    var output: OutputOptions

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        input = try TemplateOptions(arguments)
        output = try OutputOptions(arguments, formats: [.text, .json])
    }

    func run() throws {
        let (context, _) = try input.load()
        switch output.format {
        case .json: try output.emit(ModelRenderer.json(context.model, file: input.template))
        default: try output.emit(ModelRenderer.text(context.model, file: input.template))
        }
    }
}
