-e 'x := 2; y := 21
println(x * y)
for i := range 2 { println(i) }'
