import WharfCommands

await WharfCommand.runFromCommandLine()
