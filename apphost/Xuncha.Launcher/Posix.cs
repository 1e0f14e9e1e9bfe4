using System.Runtime.InteropServices;

namespace Xuncha.Launcher;

public static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    public static bool KillHard(int pid) => Kill(pid, SigKill) == 0;

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;
}
