; Inno Setup 6.3 or later script for CLSPD Desktop: a per-user install, in French, without administrator rights.
; Built by installer/build.py, which passes the version and the folders:
;   ISCC.exe /DAppVersion=0.1.0 /DNumericVersion=0.1.0.0 /DBundleDir=<dist\clspd-desktop> /DLicenseFile=<LICENSE> /O<dist> clspd-desktop.iss
; installer/check_installer.py compiles it on Linux (ISCC.exe under wine) with /DWineCheck, installs it
; silently in a throw-away wine prefix, checks it, and uninstalls it.
; The user's data lives in %LOCALAPPDATA%\CLSPD Desktop (see clspd_desktop/paths.py), outside the install folder
; (%LOCALAPPDATA%\Programs\CLSPD Desktop): no line of this script touches it, so an upgrade or an uninstall keeps it.

#ifndef AppVersion
  #error Passez la version : ISCC /DAppVersion=x.y.z (installer/build.py le fait)
#endif
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "dist\clspd-desktop"
#endif
#ifndef LicenseFile
  #define LicenseFile "..\LICENSE"
#endif
; Debian's wine 8 cannot expand {autopf} for a per-user install (« Failed to expand shell folder constant »):
; the Linux check build only uses the folder {autopf} means for a per-user install on Windows.
#ifdef WineCheck
  #define ProgramsDir "{localappdata}\Programs"
#else
  #define ProgramsDir "{autopf}"
#endif

#define AppName "CLSPD Desktop"
#define AppExe "clspd-desktop.exe"

[Setup]
; Never change AppId: it links every version to the same uninstall entry, so an upgrade replaces in place.
AppId={{984F38E6-20A1-463A-A941-0EC672A9AF73}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Coordination d'un CLSPD / CISPD. Logiciel libre sous licence EUPL-1.2.
VersionInfoVersion={#NumericVersion}
VersionInfoDescription=Installation de {#AppName}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#NumericVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoCompany={#AppName}
VersionInfoCopyright=Logiciel libre sous licence EUPL-1.2
; The EUPL-1.2 text, shown (and to be accepted) before installing.
LicenseFile={#LicenseFile}
; Per-user install: no UAC prompt; {autopf} and {autoprograms} resolve to the user's own folders.
PrivilegesRequired=lowest
DefaultDirName={#ProgramsDir}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; The bundle is 64-bit only (Qt 6 needs 64-bit Windows 10 or later).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; An open copy of the app is detected (Restart Manager) and the user is asked to let Setup close it.
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\icons\clspd-desktop-setup.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
ShowLanguageDialog=no
Compression=lzma2
SolidCompression=yes
OutputBaseFilename=clspd-desktop-{#AppVersion}-installation
; A log in %TEMP% (Setup Log yyyy-mm-dd #nnn.txt) for support when an install goes wrong.
SetupLogging=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Messages]
; The standard French texts, plus where the data stays: coordinators fear losing a year of work.
french.ConfirmUninstall=Voulez-vous vraiment désinstaller %1 ?%n%nVos données (base, sauvegardes, documents produits) ne seront pas supprimées : elles restent dans le dossier « CLSPD Desktop » de votre profil (AppData\Local).
french.UninstalledAll=%1 a été correctement désinstallé de cet ordinateur.%n%nVos données ont été conservées dans le dossier « CLSPD Desktop » de votre profil (AppData\Local). Elles seront retrouvées si vous réinstallez l'application.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade first removes the previous version's program files (never the data folder, which is elsewhere),
; so no library from an older bundle is left next to the new one.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#LicenseFile}"; DestDir: "{app}"; DestName: "LICENCE-EUPL-1.2.txt"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Coordination du CLSPD / CISPD"
Name: "{group}\{#AppName} (démonstration)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "Découvrir l'application avec une commune fictive, sans toucher à vos données"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only what [Files] installed.
