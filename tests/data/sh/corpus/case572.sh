case x
in
x)
echo multicase
;;
esac