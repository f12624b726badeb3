#include <iostream>
int main() { std::cout << "cibgraph\n"; return 0; }
