; Included by electron-builder's NSIS installer (buildResources/installer.nsh).
; Registers relais:// as `"Relais.exe" -- "%1"`: after --, Chromium takes nothing in the URL as a
; switch (a crafted link cannot inject --gpu-launcher=… or similar). The app re-registers the same
; command at start (app.setAsDefaultProtocolClient with ["--"]), which also covers the MSI.
; SHCTX is HKLM for this per-machine install.
!macro customInstall
  WriteRegStr SHCTX "Software\Classes\relais" "" "URL:Relais"
  WriteRegStr SHCTX "Software\Classes\relais" "URL Protocol" ""
  WriteRegStr SHCTX "Software\Classes\relais\DefaultIcon" "" '"$appExe",0'
  WriteRegStr SHCTX "Software\Classes\relais\shell\open\command" "" '"$appExe" -- "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHCTX "Software\Classes\relais"
!macroend
