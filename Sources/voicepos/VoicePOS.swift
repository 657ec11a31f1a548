import ArgumentParser

@main
struct VoicePOS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voicepos",
        abstract: "A retail voice agent's brain: understands callers and talks to the store's POS.",
        subcommands: [
            ChatCommand.self, ServeCommand.self, ReplayCommand.self, NLUCommand.self, BenchCommand.self, LoadCommand.self, POSCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )
}
