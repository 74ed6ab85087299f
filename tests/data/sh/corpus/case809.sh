{ echo }
echo() { printf 'my echo %s\n' "$*"; }; echo hi; command echo real
true() { return 1; }; true; echo $?
cd() { echo "no cd"; }; cd /; command cd /tmp; pwd
:() { echo colon; }; :