import WharfCommands

await WharfCommand.main()
